package io.tasker.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The client's JSON: a mapper that keeps numbers digit for digit (contexts and results carry
 * business values, and the server stores numbers of up to 147,455 digits) and reads documents as
 * large and deep as the server stores, and the readers that turn the API's documents into records
 * field by field, so the wire names are written here and nowhere else.
 */
final class ClientJson {
    /** Room for PostgreSQL's largest {@code numeric} as text, with sign, point and exponent. */
    private static final int MAX_NUMBER_TEXT = 150_000;
    /** The server nests a document up to 500 levels deep inside a task inside a response. */
    private static final int MAX_DEPTH = 600;

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(MAX_NUMBER_TEXT)
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private ClientJson() {}

    /** {@code value} as JSON: a {@link JsonNode} as it is, anything else as Jackson writes it. */
    static JsonNode tree(Object value) {
        return value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
    }

    /** The field's value, or null when it is missing or JSON null. */
    static JsonNode value(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = value(node, field);
        return value == null ? null : value.asText();
    }

    static UUID uuid(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : UUID.fromString(text);
    }

    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : Instant.parse(text);
    }

    static int integer(JsonNode node, String field) {
        return node.path(field).asInt();
    }

    static Long number(JsonNode node, String field) {
        JsonNode value = value(node, field);
        return value == null ? null : value.asLong();
    }

    static List<String> strings(JsonNode node, String field) {
        return list(node, field, JsonNode::asText);
    }

    static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> item) {
        List<T> items = new ArrayList<>();
        node.path(field).forEach(element -> items.add(item.apply(element)));
        return List.copyOf(items);
    }

    /** An object of counts, such as {@code {"complete": 3, "error": 1}}, in the server's order. */
    static Map<String, Long> counts(JsonNode node, String field) {
        Map<String, Long> counts = new LinkedHashMap<>();
        node.path(field).properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
        return java.util.Collections.unmodifiableMap(counts);
    }
}
