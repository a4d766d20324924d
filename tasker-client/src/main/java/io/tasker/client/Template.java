package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

import static io.tasker.client.ClientJson.instant;
import static io.tasker.client.ClientJson.list;
import static io.tasker.client.ClientJson.text;

/**
 * A registered version of a task template: the DAG of steps a task runs.
 *
 * @param json the document as the server sent it, {@code input_schema} and all
 */
public record Template(String namespace, String name, String version, String description, List<TemplateStep> steps,
                       Instant registeredAt, JsonNode json) {

    /** {@code namespace/name@version}. */
    public String key() {
        return namespace + "/" + name + "@" + version;
    }

    static Template from(JsonNode json) {
        return new Template(text(json, "namespace"), text(json, "name"), text(json, "version"),
                text(json, "description"), list(json, "steps", TemplateStep::from), instant(json, "registered_at"),
                json);
    }
}
