package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads a template tree, from a YAML file or from the registry's JSON, into a {@link TaskTemplate}
 * with the defaults filled in. It keeps going after a problem so an author sees every mistake in
 * a file at once, each with its line and step.
 */
final class TemplateReader {
    private static final List<String> TEMPLATE_KEYS =
            List.of("namespace", "name", "version", "description", "identity_strategy", "input_schema", "steps");
    private static final List<String> STEP_KEYS = List.of("name", "handler", "depends_on", "retry", "timeout_seconds");
    private static final List<String> HANDLER_KEYS = List.of("callable", "initialization");
    private static final List<String> RETRY_KEYS = List.of("retryable", "max_attempts", "backoff_base_ms", "max_backoff_ms");

    private final String source;
    private final Map<String, Integer> lines;
    private final List<TemplateProblem> problems;

    private TemplateReader(String source, Map<String, Integer> lines, List<TemplateProblem> earlier) {
        this.source = source;
        this.lines = lines;
        this.problems = new ArrayList<>(earlier);
    }

    static TemplateLoadResult readYaml(String yaml, String source) {
        YamlTree.Parsed parsed = YamlTree.parse(yaml, source);
        if (parsed.root() == null) {
            return new TemplateLoadResult.Rejected(source, parsed.problems());
        }
        return new TemplateReader(source, parsed.lines(), parsed.problems()).read(parsed.root());
    }

    static TemplateLoadResult readTree(JsonNode root, String source) {
        return new TemplateReader(source, Map.of(), List.of()).read(root);
    }

    /** Describes a value for a message: {@code text "three"}, {@code a list}, {@code number 1.5}. */
    static String describe(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "nothing";
        } else if (value.isTextual()) {
            return "text \"" + value.asText() + "\"";
        } else if (value.isNumber()) {
            return "number " + value.asText();
        } else if (value.isObject()) {
            return "a mapping";
        } else if (value.isArray()) {
            return "a list";
        }
        return value.asText();
    }

    private TemplateLoadResult read(JsonNode root) {
        TaskTemplate template = null;
        try {
            template = template(root);
        } catch (TemplateValidationException e) {
            // A rule the reader missed but a record enforces: still report it rather than fail.
            e.problems().forEach(p -> problems.add(new TemplateProblem(source, p.line(), p.step(), p.message())));
        }
        if (template != null && problems.isEmpty()) {
            return new TemplateLoadResult.Loaded(source, template);
        }
        List<TemplateProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(TemplateProblem::line, Comparator.nullsLast(Comparator.naturalOrder())));
        return new TemplateLoadResult.Rejected(source, sorted);
    }

    private TaskTemplate template(JsonNode root) {
        if (!(root instanceof ObjectNode object)) {
            problem("", null, "a template must be a mapping with namespace, name, version and steps, got " + describe(root));
            return null;
        }
        Mapping template = new Mapping(object, "", null, "", "the template", TEMPLATE_KEYS);
        String namespace = template.checkedText("namespace", value -> Rules.identifier("namespace", value));
        String name = template.checkedText("name", value -> Rules.identifier("name", value));
        SemVer version = version(template);
        String description = template.text("description");
        IdentityStrategy identity = identityStrategy(template);
        JsonNode inputSchema = template.get("input_schema");
        InputSchemas.check(inputSchema)
                .forEach(issue -> problem("/input_schema" + issue.pointer(), null, issue.message()));
        List<StepTemplate> steps = steps(template);
        if (!problems.isEmpty()) {
            return null;
        }
        return new TaskTemplate(namespace, name, version, description, inputSchema, identity, steps);
    }

    private SemVer version(Mapping template) {
        JsonNode value = template.get("version");
        if (value == null) {
            template.check("version", "version is required, e.g. version: 1.0.0");
            return null;
        }
        if (!value.isValueNode()) {
            template.check("version", "version must be MAJOR.MINOR.PATCH, e.g. 1.0.0, got " + describe(value));
            return null;
        }
        try {
            return SemVer.parse(value.asText());
        } catch (IllegalArgumentException e) {
            template.check("version", e.getMessage());
            return null;
        }
    }

    private IdentityStrategy identityStrategy(Mapping template) {
        if (template.get("identity_strategy") == null) {
            return IdentityStrategy.STRICT;
        }
        String value = template.text("identity_strategy");
        if (value == null) {
            return null;
        }
        try {
            return IdentityStrategy.of(value);
        } catch (IllegalArgumentException e) {
            template.check("identity_strategy", e.getMessage());
            return null;
        }
    }

    private List<StepTemplate> steps(Mapping template) {
        if (template.get("steps") == null) {
            template.check("steps", Rules.hasSteps(0));
            return null;
        }
        ArrayNode list = template.list("steps");
        if (list == null) {
            return null;
        }
        template.check("steps", Rules.hasSteps(list.size()));
        List<StepTemplate> steps = new ArrayList<>();
        List<StepGraph.Node> graph = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            steps.add(step(list.get(i), i, graph));
        }
        for (StepGraph.Issue issue : StepGraph.check(graph, this::whereIsStep)) {
            String pointer = "/steps/" + issue.position()
                    + (issue.dependency() >= 0 ? "/depends_on/" + issue.dependency() : "");
            problem(pointer, issue.step(), issue.message());
        }
        return steps;
    }

    private String whereIsStep(int position) {
        Integer line = lines.get("/steps/" + position);
        return line != null ? "line " + line : "step #" + (position + 1);
    }

    private StepTemplate step(JsonNode node, int index, List<StepGraph.Node> graph) {
        String pointer = "/steps/" + index;
        if (!(node instanceof ObjectNode object)) {
            problem(pointer, null, "step #" + (index + 1) + " must be a mapping with name and handler, got " + describe(node));
            graph.add(new StepGraph.Node(null, List.of()));
            return null;
        }
        int before = problems.size();
        JsonNode nameNode = object.get("name");
        String rawName = nameNode != null && nameNode.isTextual() && !nameNode.asText().isBlank() ? nameNode.asText() : null;
        Mapping step = new Mapping(object, pointer, rawName != null ? rawName : "#" + (index + 1), "", "step", STEP_KEYS);
        String name = step.checkedText("name", Rules::stepName);
        HandlerSpec handler = handler(step);
        List<String> dependsOn = dependsOn(step);
        graph.add(new StepGraph.Node(rawName, dependsOn == null ? List.of() : dependsOn));
        RetryPolicy retry = retry(step);
        Long timeout = step.integer("timeout_seconds", StepTemplate.DEFAULT_TIMEOUT_SECONDS, true);
        if (timeout != null) {
            step.check("timeout_seconds", Rules.timeoutSeconds(timeout));
        }
        if (problems.size() > before) {
            return null;
        }
        return new StepTemplate(name, handler, dependsOn, retry, timeout.intValue());
    }

    private HandlerSpec handler(Mapping step) {
        if (step.get("handler") == null) {
            step.check("handler", "handler is required: give handler.callable, the class that runs this step");
            return null;
        }
        Mapping handler = step.mapping("handler", "handler", HANDLER_KEYS);
        if (handler == null) {
            return null;
        }
        int before = problems.size();
        String callable = handler.checkedText("callable", Rules::callable);
        ObjectNode initialization = null;
        if (handler.get("initialization") != null) {
            Mapping init = handler.mapping("initialization", null, null);
            initialization = init == null ? null : init.node;
        }
        return problems.size() > before ? null : new HandlerSpec(callable, initialization);
    }

    private List<String> dependsOn(Mapping step) {
        if (step.get("depends_on") == null) {
            return List.of();
        }
        ArrayNode list = step.list("depends_on");
        if (list == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (entry.isTextual()) {
                names.add(entry.asText());
            } else {
                problem(step.pointer + "/depends_on/" + i, step.step,
                        "depends_on entries must be step names, got " + describe(entry));
                names.add(null);
            }
        }
        return names;
    }

    private RetryPolicy retry(Mapping step) {
        if (step.get("retry") == null) {
            return RetryPolicy.DEFAULT;
        }
        Mapping retry = step.mapping("retry", "retry", RETRY_KEYS);
        if (retry == null) {
            return null;
        }
        int before = problems.size();
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        Boolean retryable = retry.bool("retryable", defaults.retryable());
        Long maxAttempts = retry.integer("max_attempts", defaults.maxAttempts(), true);
        Long backoffBase = retry.integer("backoff_base_ms", defaults.backoffBaseMs(), false);
        Long maxBackoff = retry.integer("max_backoff_ms", defaults.maxBackoffMs(), false);
        if (maxAttempts != null) {
            retry.check("max_attempts", Rules.maxAttempts(maxAttempts));
        }
        if (backoffBase != null) {
            retry.check("backoff_base_ms", Rules.notNegative("retry.backoff_base_ms", backoffBase));
        }
        if (maxBackoff != null) {
            retry.check("max_backoff_ms", Rules.notNegative("retry.max_backoff_ms", maxBackoff));
        }
        if (backoffBase != null && maxBackoff != null && backoffBase >= 0 && maxBackoff >= 0) {
            retry.check("max_backoff_ms", Rules.backoffOrder(backoffBase, maxBackoff));
        }
        if (problems.size() > before) {
            return null;
        }
        return new RetryPolicy(retryable, maxAttempts.intValue(), backoffBase, maxBackoff);
    }

    private void problem(String pointer, String step, String message) {
        problems.add(new TemplateProblem(source, lineOf(pointer), step, message));
    }

    /** The line of the value at {@code pointer}, or of its nearest enclosing value when it is absent. */
    private Integer lineOf(String pointer) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null || p.isEmpty()) {
                return line;
            }
        }
    }

    /**
     * One mapping of the template being read: reports its unknown keys on creation, and reads typed
     * values, reporting a wrong type and returning null.
     */
    private final class Mapping {
        final ObjectNode node;
        final String pointer;
        final String step;
        final String prefix;

        Mapping(ObjectNode node, String pointer, String step, String prefix, String what, List<String> keys) {
            this.node = node;
            this.pointer = pointer;
            this.step = step;
            this.prefix = prefix;
            if (keys == null) {
                return;
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String key = names.next();
                if (!keys.contains(key)) {
                    String hint = Suggestions.didYouMean(key, keys);
                    problem(pointerOf(key), step, "unknown key '" + key + "' in " + what
                            + (hint.isEmpty() ? "; expected one of " + String.join(", ", keys) : hint));
                }
            }
        }

        /** The value, or null when the key is absent or set to nothing. */
        JsonNode get(String key) {
            JsonNode value = node.get(key);
            return value == null || value.isNull() ? null : value;
        }

        void check(String key, String problem) {
            if (problem != null) {
                problem(pointerOf(key), step, problem);
            }
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
        Mapping mapping(String key, String what, List<String> keys) {
            JsonNode value = get(key);
            if (!(value instanceof ObjectNode object)) {
                wrongType(key, "a mapping", value);
                return null;
            }
            return new Mapping(object, pointerOf(key), step, prefix + key + ".", what, keys);
        }

        private void wrongType(String key, String expected, JsonNode value) {
            check(key, prefix + key + " must be " + expected + ", got " + describe(value));
        }

        private String pointerOf(String key) {
            return pointer + "/" + YamlTree.escape(key);
        }
    }
}
