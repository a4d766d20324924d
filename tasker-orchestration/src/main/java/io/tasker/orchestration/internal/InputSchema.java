package io.tasker.orchestration.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.tasker.orchestration.ContextError;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A template's input_schema, compiled once and then used to check every task context. Compiling
 * costs far more than validating, and task creation is a hot path. The dialect is the one the
 * schema's {@code $schema} names, else 2020-12, as when the template was loaded.
 */
final class InputSchema {
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_PATH)
            .build();

    /** Null when the template has no input_schema: then any object is a valid context. */
    private final JsonSchema schema;

    private InputSchema(JsonSchema schema) {
        this.schema = schema;
    }

    static InputSchema compile(JsonNode inputSchema) {
        if (inputSchema == null) {
            return new InputSchema(null);
        }
        VersionFlag version = SpecVersionDetector.detectOptionalVersion(inputSchema, false).orElse(VersionFlag.V202012);
        JsonSchema schema = JsonSchemaFactory.getInstance(version).getSchema(inputSchema, CONFIG);
        // Built now: the validator otherwise builds them lazily on first use, unguarded across threads.
        schema.initializeValidators();
        return new InputSchema(schema);
    }

    /** Every reason {@code context} is refused, by field; empty when it is valid. */
    List<ContextError> check(JsonNode context) {
        if (!context.isObject()) {
            return List.of(new ContextError("$", "the context must be a JSON object, got "
                    + context.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        if (schema == null) {
            return List.of();
        }
        return schema.validate(context).stream()
                .map(InputSchema::error)
                .sorted(Comparator.comparing(ContextError::field))
                .toList();
    }

    /**
     * Errors about a property (missing, not allowed) are reported on the object holding it; naming
     * the property itself tells the caller which field to fix.
     */
    private static ContextError error(ValidationMessage message) {
        JsonNodePath location = message.getInstanceLocation();
        if (message.getProperty() != null) {
            location = location.append(message.getProperty());
        }
        return new ContextError(location.toString(), message.getError());
    }
}
