package io.tasker.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * JSON for the fuzzer: valid task requests for the example templates, mutations of them, random
 * documents, and values at the edges of what Tasker accepts. A value no tree can hold (a lone
 * surrogate escape, {@code 1E+2147483648}, ten thousand levels of nesting) goes in as raw JSON
 * text, written as it is.
 */
final class FuzzJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Writes non-ASCII characters as escapes, so a lone surrogate reaches the server as one. */
    private static final ObjectMapper ESCAPING = new ObjectMapper().configure(
            JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true);
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final List<String> TEMPLATES = List.of("linear_workflow", "diamond_workflow", "tree_workflow",
            "mixed_dag_workflow", "order_fulfillment");
    /** A task request's fields, in a fixed order: a Set's order changes from one JVM to the next. */
    static final List<String> FIELDS = TaskRequestBody.FIELDS.stream().sorted().toList();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + " _-./:@#$%&*()[]{}\"'\\\u00e9\u00fc\u4e2d\u0416\u0627";

    private final Random random;
    private final boolean atTheLimits;

    /**
     * With {@code atTheLimits}, values at the very limits are among the choices too: 131,072
     * digits, 100,000 members, strings of 17 MB. Each costs up to seconds of CPU to parse, store
     * and read back (and again in every list that shows its task), so only long runs have them.
     */
    FuzzJson(Random random, boolean atTheLimits) {
        this.random = random;
        this.atTheLimits = atTheLimits;
    }

    /** A value and what it is, for the report. */
    record Value(String label, JsonNode node) {}

    /** A request the API accepts (or answers 409 for, when an earlier case created the same task). */
    ObjectNode validRequest() {
        String template = pick(TEMPLATES);
        ObjectNode request = NODES.objectNode().put("namespace", "examples").put("name", template);
        ObjectNode context = request.putObject("context");
        if (template.equals("order_fulfillment")) {
            context.put("order_id", "ORD-" + random.nextInt(100_000));
            if (random.nextBoolean()) {
                context.put("payment_failures", random.nextInt(2));
            }
        } else {
            context.put("even_number", 2 * random.nextInt(50_000));
        }
        if (random.nextInt(3) == 0) {
            request.put("version", "1.0.0");
        }
        if (random.nextInt(3) == 0) {
            request.put("initiator", "fuzzer").put("source_system", "api-fuzz").put("reason", word());
        }
        if (random.nextInt(3) == 0) {
            request.putArray("tags").add("fuzz").add(word());
        }
        if (random.nextInt(3) == 0) {
            request.put("priority", random.nextInt(21) - 10);
        }
        if (random.nextInt(4) == 0) {
            request.put("idempotency_key", "fuzz-" + random.nextLong());
        }
        if (random.nextInt(4) == 0) {
            request.put("correlation_id", new UUID(random.nextLong(), random.nextLong()).toString());
        }
        return request;
    }

    /** Applies one to three mutations to a task request; answers what each did. */
    List<String> mutate(ObjectNode request) {
        return mutate(request, FIELDS);
    }

    /**
     * Applies one to three mutations to {@code document}, whose fields are {@code fields}, and to
     * its {@code context} if it has one; answers what each did.
     */
    List<String> mutate(ObjectNode document, List<String> fields) {
        List<String> done = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            done.add(mutateOnce(document, fields));
        }
        return done;
    }

    private String mutateOnce(ObjectNode document, List<String> fields) {
        ObjectNode context = document.get("context") instanceof ObjectNode object ? object : document;
        ObjectNode target = random.nextInt(3) == 0 ? context : document;
        String where = target == document ? "" : "context.";
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        String field = names.isEmpty() || random.nextInt(4) == 0 ? pick(fields) : pick(names);
        return switch (random.nextInt(6)) {
            case 0 -> {
                target.remove(field);
                yield "removed " + where + field;
            }
            case 1 -> {
                String key = oddKey();
                Value value = anyValue();
                target.set(key, value.node());
                yield "added " + where + quoted(key) + " = " + value.label();
            }
            case 2 -> {
                Value value = edgeValue();
                target.set(field, value.node());
                yield where + field + " = " + value.label();
            }
            case 3 -> {
                Value value = randomValue(3);
                target.set(field, value.node());
                yield where + field + " = " + value.label();
            }
            case 4 -> {
                JsonNode old = target.remove(field);
                String key = nearMiss(field);
                target.set(key, old == null ? NODES.textNode("x") : old);
                yield "renamed " + where + field + " to " + quoted(key);
            }
            default -> {
                Value value = oddString();
                target.set(field, value.node());
                yield where + field + " = " + value.label();
            }
        };
    }

    /** The request as JSON text, non-ASCII written raw or as escapes, chosen at random. */
    String write(JsonNode document) {
        try {
            return (random.nextBoolean() ? ESCAPING : PLAIN).writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a fuzz document cannot be written", e);
        }
    }

    /** Any value: random, at an edge, or an odd string. */
    Value anyValue() {
        return switch (random.nextInt(3)) {
            case 0 -> randomValue(3);
            case 1 -> edgeValue();
            default -> oddString();
        };
    }

    /** A random JSON value up to {@code depth} levels deep. */
    Value randomValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        JsonNode node = switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4, 5 -> NODES.textNode(word());
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomValue(depth - 1).node());
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(random.nextInt(3) == 0 ? pick(FIELDS) : word(), randomValue(depth - 1).node());
                }
                yield object;
            }
        };
        String text = node.toString();
        String label = text.length() <= 60 ? text
                : node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + text.substring(0, 60) + "...";
        return new Value(label, node);
    }

    /** A value at or past one of the limits: digits, exponents, size, depth, width. */
    Value edgeValue() {
        return switch (random.nextInt(7)) {
            case 0 -> {
                int digits = pick(atTheLimits ? List.of(1_001, 20_000, 100_000, 131_072, 131_073, 200_000)
                        : List.of(1_001, 5_000, 20_000, 200_000));
                String sign = random.nextBoolean() ? "" : "-";
                yield raw("an integer of " + digits + " digits", sign + "9" + "7".repeat(digits - 1));
            }
            case 1 -> {
                String text = pick(List.of("1e100000", "-1E+131071", "1E+131072", "1E+2147483647", "1E+2147483648",
                        "1e-2147483648", "1e-2147483649", "1e99999999999", "0e-2147483648", "0.0e2147483647",
                        "1.5e-16383", "1e-16384", "2147483648", "-2147483649", "9223372036854775808", "-0", "0.0",
                        "6.0", "6e0", "0.6e1", "1e308", "1e309", "4.9e-324", "-0.0e-0"));
                yield raw(text, text);
            }
            case 2 -> {
                int digits = pick(List.of(16_383, 16_384, 40_000));
                yield raw("a fraction of " + digits + " digits", "0." + "3".repeat(digits - 1) + "1");
            }
            case 3 -> {
                int length = atTheLimits && random.nextInt(4) == 0 ? 17_000_000
                        : pick(List.of(1_000, 65_536, 1 << 20));
                yield raw("a string of " + length + " characters", "\"" + "s".repeat(length) + "\"");
            }
            case 4 -> {
                int depth = pick(List.of(100, 499, 500, 501, 515, 516, 517, 1_000, 10_000, 200_000));
                boolean arrays = random.nextBoolean();
                String open = arrays ? "[" : "{\"a\":";
                String close = arrays ? "]" : "}";
                yield raw((arrays ? "arrays" : "objects") + " nested " + depth + " deep",
                        open.repeat(depth) + "1" + close.repeat(depth));
            }
            case 5 -> {
                int width = atTheLimits ? pick(List.of(10_000, 100_000)) : 10_000;
                StringBuilder text = new StringBuilder(random.nextBoolean() ? "[" : "{");
                boolean array = text.charAt(0) == '[';
                for (int i = 0; i < width; i++) {
                    text.append(i == 0 ? "" : ",").append(array ? "" : "\"k" + i + "\":").append(i);
                }
                text.append(array ? "]" : "}");
                yield raw((array ? "an array of " : "an object of ") + width + " members", text.toString());
            }
            default -> {
                String text = pick(List.of("NaN", "Infinity", "-Infinity", "true", "false", "null", "[]", "{}", "\"\"",
                        "\" \"", "[null]", "{\"\":null}", "01", "+1", ".5", "0x10", "'x'"));
                yield raw(text, text);
            }
        };
    }

    /** A string holding characters PostgreSQL, UTF-8 or a naive parser may trip over. */
    Value oddString() {
        Map.Entry<String, String> chosen = pick(List.of(
                Map.entry("NUL", "\\u0000"), Map.entry("a NUL inside", "a\\u0000b"),
                Map.entry("a lone high surrogate", "\\ud800"), Map.entry("a lone low surrogate", "x\\udc00y"),
                Map.entry("surrogates reversed", "\\udc00\\ud800"),
                Map.entry("a valid surrogate pair", "\\ud83d\\ude00"), Map.entry("U+FFFF", "\\uffff"),
                Map.entry("U+FFFE", "\\ufffe"), Map.entry("a BOM", "\\ufeffx"),
                Map.entry("right-to-left override", "\\u202eabc"),
                Map.entry("control characters", "\\u0001\\u001f\\u007f"),
                Map.entry("escapes", "\\t\\n\\r\\b\\f\\/\\\\\\\""), Map.entry("a raw tab", "a\tb"),
                Map.entry("markup", "<script>alert(1)</script>"), Map.entry("SQL", "'; drop table tasker_tasks; --"),
                Map.entry("a format string", "%s%n%x%d"), Map.entry("blank", "   "),
                Map.entry("a UUID", new UUID(random.nextLong(), random.nextLong()).toString())));
        return raw("\"" + chosen.getKey() + "\"", "\"" + chosen.getValue() + "\"");
    }

    private Value raw(String label, String json) {
        return new Value(label, NODES.rawValueNode(new RawValue(json)));
    }

    private String oddKey() {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "\u0000";
            case 2 -> "k".repeat(pick(List.of(100, 10_000)));
            case 3 -> "\ud800";
            case 4 -> pick(FIELDS) + "\u00e9";
            default -> word();
        };
    }

    private String nearMiss(String field) {
        return switch (random.nextInt(5)) {
            case 0 -> field.toUpperCase();
            case 1 -> field + " ";
            case 2 -> field.replace('_', '-');
            case 3 -> field + "\u0000";
            default -> field.isEmpty() ? "_" : field.substring(1);
        };
    }

    /** A short random string from a mixed alphabet. */
    String word() {
        StringBuilder word = new StringBuilder();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
            word.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return word.toString();
    }

    <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String quoted(String key) {
        String shown = key.length() > 20 ? key.substring(0, 20) + "...(" + key.length() + " chars)" : key;
        return "'" + shown.replace("\u0000", "\\u0000").replace("\ud800", "\\ud800") + "'";
    }
}
