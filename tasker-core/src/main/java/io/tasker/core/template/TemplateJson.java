package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON form of a template (the same keys as the YAML file, every default written out) and its
 * content hash. The hash is taken over a canonical form, keys sorted at every level and numbers
 * written one way, so reordering or reformatting a file does not change it.
 */
final class TemplateJson {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private TemplateJson() {}

    static ObjectNode tree(TaskTemplate template) {
        ObjectNode root = NODES.objectNode()
                .put("namespace", template.namespace())
                .put("name", template.name())
                .put("version", template.version().toString());
        if (template.description() != null) {
            root.put("description", template.description());
        }
        root.put("identity_strategy", template.identityStrategy().value());
        if (template.inputSchema() != null) {
            root.set("input_schema", template.inputSchema());
        }
        ArrayNode steps = root.putArray("steps");
        for (StepTemplate step : template.steps()) {
            ObjectNode node = steps.addObject().put("name", step.name());
            node.putObject("handler")
                    .put("callable", step.handler().callable())
                    .set("initialization", step.handler().initialization());
            step.dependsOn().forEach(node.putArray("depends_on")::add);
            node.putObject("retry")
                    .put("retryable", step.retry().retryable())
                    .put("max_attempts", step.retry().maxAttempts())
                    .put("backoff_base_ms", step.retry().backoffBaseMs())
                    .put("max_backoff_ms", step.retry().maxBackoffMs());
            node.put("timeout_seconds", step.timeoutSeconds());
        }
        return root;
    }

    /** SHA-256 of the canonical form, as lowercase hex. */
    static String contentHash(TaskTemplate template) {
        try {
            byte[] canonical = Json.write(canonical(tree(template))).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Keys sorted at every level; every exact number in one decimal form, so 1, 1.0 and 1.00 agree. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = NODES.objectNode();
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.stream().sorted().forEach(key -> sorted.set(key, canonical(node.get(key))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode list = NODES.arrayNode();
            node.forEach(item -> list.add(canonical(item)));
            return list;
        }
        if (node.isNumber() && !node.isDouble() && !node.isFloat()) {
            return NODES.numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }
}
