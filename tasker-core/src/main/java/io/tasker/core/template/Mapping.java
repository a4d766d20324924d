package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One mapping of a template being read: reports its unknown keys on creation, and reads typed
 * values, reporting a wrong type and returning null. Mappings below it inherit whether the file is
 * in tasker-core's format, which decides the keys a message lists as expected.
 */
final class Mapping {
    /**
     * The keys a mapping may have: Tasker's own, and those tasker-core's templates use. A key of
     * either is known; messages list tasker-core's only to a file in tasker-core's format, so a
     * Tasker file's author is shown Tasker's keys.
     */
    record Keys(String what, List<String> ours, List<String> taskerCore) {
        Keys {
            ours = List.copyOf(ours);
            taskerCore = List.copyOf(taskerCore);
        }

        boolean contains(String key) {
            return ours.contains(key) || taskerCore.contains(key);
        }
    }

    final ObjectNode node;
    final String pointer;
    final String step;
    final boolean taskerCoreFormat;
    private final Findings findings;
    private final String prefix;

    /** {@code keys} null allows any key. */
    Mapping(Findings findings, ObjectNode node, String pointer, String step, String prefix, Keys keys,
            boolean taskerCoreFormat) {
        this.findings = findings;
        this.node = node;
        this.pointer = pointer;
        this.step = step;
        this.prefix = prefix;
        this.taskerCoreFormat = taskerCoreFormat;
        if (keys != null) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!keys.contains(key)) {
                    unknownKey(key, keys);
                }
            }
        }
    }

    private void unknownKey(String key, Keys keys) {
        List<String> known = new ArrayList<>(keys.ours());
        known.addAll(keys.taskerCore());
        List<String> listed = taskerCoreFormat ? known : keys.ours();
        String hint = Suggestions.didYouMean(key, known);
        problem(key, "unknown key '" + key + "' in " + keys.what()
                + (hint.isEmpty() ? "; expected one of " + String.join(", ", listed) : hint));
    }

    /** The value, or null when the key is absent or set to nothing. */
    JsonNode get(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /**
     * Which of two keys for the same setting this mapping uses ({@code ours} when neither); both is
     * a problem, reported at the second.
     */
    String eitherKey(String ours, String theirs, String why) {
        if (node.has(ours) && node.has(theirs)) {
            problem(theirs, ours + " and " + theirs + " are both set; " + why + ": keep one");
        }
        return node.has(theirs) && !node.has(ours) ? theirs : ours;
    }

    /** Problems found in the file so far: compare before and after reading a part to see if it had any. */
    int problemCount() {
        return findings.problemCount();
    }

    void check(String key, String problem) {
        if (problem != null) {
            problem(key, problem);
        }
    }

    void problem(String key, String message) {
        findings.problem(pointerOf(key), step, message);
    }

    /** A problem with entry {@code index} of the list under {@code key}. */
    void problemInList(String key, int index, String message) {
        findings.problem(pointerOf(key) + "/" + index, step, message);
    }

    /** A warning about {@code key}, given once per {@code kind} in a file. */
    void warn(String kind, String key, String message) {
        findings.warn(kind, pointerOf(key), step, message);
    }

    String text(String key) {
        JsonNode value = get(key);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            wrongType(key, "text", value);
            return null;
        }
        return value.asText();
    }

    /** A text value {@code rule} accepts; the rule is also asked about an absent value (null). */
    String checkedText(String key, UnaryOperator<String> rule) {
        String value = text(key);
        if (value == null && get(key) != null) {
            return null;
        }
        String problem = rule.apply(value);
        check(key, problem);
        return problem == null ? value : null;
    }

    Boolean bool(String key, boolean absent) {
        JsonNode value = get(key);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            wrongType(key, "true or false", value);
            return null;
        }
        return value.booleanValue();
    }

    Long integer(String key, long absent, boolean intRange) {
        JsonNode value = get(key);
        if (value == null) {
            return absent;
        }
        if (!value.isIntegralNumber()) {
            wrongType(key, "a whole number", value);
            return null;
        }
        if (intRange ? !value.canConvertToInt() : !value.canConvertToLong()) {
            check(key, prefix + key + " is out of range, got " + value.asText());
            return null;
        }
        return value.longValue();
    }

    ArrayNode list(String key) {
        JsonNode value = get(key);
        if (value != null && !value.isArray()) {
            wrongType(key, "a list", value);
            return null;
        }
        return (ArrayNode) value;
    }

    /** The nested mapping under {@code key}; {@code keys} null means any keys are allowed. */
    Mapping mapping(String key, Keys keys) {
        JsonNode value = get(key);
        if (!(value instanceof ObjectNode object)) {
            wrongType(key, "a mapping", value);
            return null;
        }
        return new Mapping(findings, object, pointerOf(key), step, prefix + key + ".", keys, taskerCoreFormat);
    }

    /** The mapping {@code value}, an entry of a list under this one, for the step {@code step}. */
    Mapping entry(ObjectNode value, String entryPointer, String entryStep, String entryPrefix, Keys keys) {
        return new Mapping(findings, value, entryPointer, entryStep, entryPrefix, keys, taskerCoreFormat);
    }

    /** The value when it is set and {@code kind} accepts it; null, with the problem reported, when not. */
    JsonNode typed(String key, String expected, Predicate<JsonNode> kind) {
        JsonNode value = get(key);
        if (value != null && !kind.test(value)) {
            wrongType(key, expected, value);
            return null;
        }
        return value;
    }

    private void wrongType(String key, String expected, JsonNode value) {
        check(key, prefix + key + " must be " + expected + ", got " + TemplateReader.describe(value));
    }

    String pointerOf(String key) {
        return pointer + "/" + YamlTree.escape(key);
    }
}
