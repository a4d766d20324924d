package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that an input_schema is a JSON Schema its dialect's meta-schema accepts (2020-12 unless
 * {@code $schema} names another). Catching a broken schema when the template is loaded is much
 * kinder than refusing every task later. The meta-schemas ship inside the validator's jar, so
 * this never touches the network.
 */
final class InputSchemas {
    /** {@code pointer} is relative to the input_schema, e.g. {@code /properties/x/type}. */
    record Issue(String pointer, String message) {}

    private static final Map<VersionFlag, JsonSchema> META_SCHEMAS = new ConcurrentHashMap<>();

    private InputSchemas() {}

    static List<Issue> check(JsonNode schema) {
        if (schema == null) {
            return List.of();
        }
        if (!schema.isObject()) {
            return List.of(new Issue("", "input_schema must be a mapping (a JSON Schema object), got "
                    + TemplateReader.describe(schema)));
        }
        JsonNode declared = schema.get("$schema");
        VersionFlag version = SpecVersionDetector.detectOptionalVersion(schema, false).orElse(null);
        if (declared != null && version == null) {
            return List.of(new Issue("/$schema", "input_schema.$schema " + TemplateReader.describe(declared)
                    + " is not a JSON Schema dialect Tasker knows; use " + SchemaId.V202012));
        }
        JsonSchema meta = META_SCHEMAS.computeIfAbsent(version == null ? VersionFlag.V202012 : version,
                InputSchemas::metaSchema);
        Map<String, Issue> firstPerLocation = new LinkedHashMap<>();
        for (ValidationMessage message : meta.validate(schema)) {
            JsonNodePath location = message.getInstanceLocation();
            StringBuilder pointer = new StringBuilder();
            StringBuilder label = new StringBuilder("input_schema");
            for (int i = 0; i < location.getNameCount(); i++) {
                Object element = location.getElement(i);
                pointer.append('/').append(YamlTree.escape(String.valueOf(element)));
                label.append(element instanceof Integer ? "[" + element + "]" : "." + element);
            }
            firstPerLocation.putIfAbsent(pointer.toString(),
                    new Issue(pointer.toString(), label + ": " + message.getError()));
        }
        return new ArrayList<>(firstPerLocation.values());
    }

    private static JsonSchema metaSchema(VersionFlag version) {
        String id = switch (version) {
            case V4 -> SchemaId.V4;
            case V6 -> SchemaId.V6;
            case V7 -> SchemaId.V7;
            case V201909 -> SchemaId.V201909;
            case V202012 -> SchemaId.V202012;
        };
        JsonSchema meta = JsonSchemaFactory.getInstance(version).getSchema(SchemaLocation.of(id));
        // Built eagerly: the validator otherwise builds them lazily on first use, unguarded across threads.
        meta.initializeValidators();
        return meta;
    }
}
