package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.util.ArrayList;
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
        // Written only when false, so the hash of every template that enforces its schema stays as it was.
        if (!template.inputSchemaEnforced()) {
            root.put("input_schema_enforced", false);
        }
        ArrayNode steps = root.putArray("steps");
        for (StepTemplate step : template.steps()) {
            ObjectNode node = steps.addObject().put("name", step.name());
            // Written only when not standard, so the hash of every template without decisions stays as it was.
            if (step.type() != StepType.STANDARD) {
                node.put("type", step.type().value());
            }
            ObjectNode handler = node.putObject("handler").put("callable", step.handler().callable());
            handler.set("initialization", step.handler().initialization());
            if (step.handler().method() != null) {
                handler.put("method", step.handler().method());
            }
            step.dependsOn().forEach(node.putArray("depends_on")::add);
            node.putObject("retry")
                    .put("retryable", step.retry().retryable())
                    .put("max_attempts", step.retry().maxAttempts())
                    .put("backoff_base_ms", step.retry().backoffBaseMs())
                    .put("max_backoff_ms", step.retry().maxBackoffMs());
            node.put("timeout_seconds", step.timeoutSeconds());
            // Written only when given, as type is: other templates keep their content hash.
            if (step.batchConfig() != null) {
                node.set("batch_config", batchConfig(step.batchConfig()));
            }
        }
        return root;
    }

    /** A step's batch_config, as its batch workers' batch_metadata is built from it too. */
    static ObjectNode batchConfig(BatchConfig config) {
        ObjectNode node = NODES.objectNode();
        if (config.batchSize() != null) {
            node.put("batch_size", config.batchSize());
        }
        if (config.parallelism() != null) {
            node.put("parallelism", config.parallelism());
        }
        if (config.cursorField() != null) {
            node.put("cursor_field", config.cursorField());
        }
        if (config.workerTemplate() != null) {
            node.put("worker_template", config.workerTemplate());
        }
        return node.put("failure_strategy", config.failureStrategy())
                .put("checkpoint_interval", config.checkpointInterval());
    }

    /** SHA-256 of the canonical form, as lowercase hex. */
    static String contentHash(TaskTemplate template) {
        return Json.canonicalSha256(tree(template));
    }
}
