package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static io.tasker.client.ClientJson.number;
import static io.tasker.client.ClientJson.strings;
import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.value;

/**
 * A step of a {@link Template}.
 *
 * @param handler        the handler's callable, e.g. {@code io.tasker.examples.math.SquareStep}
 * @param retry          the retry policy ({@code max_attempts}, {@code backoff_base_ms}, ...), or null
 * @param timeoutSeconds null when the template sets none
 * @param type           standard, decision or deferred_convergence (docs/dynamic-workflows.md)
 */
public record TemplateStep(String name, List<String> dependsOn, String handler, JsonNode retry, Long timeoutSeconds,
                           String type) {

    static TemplateStep from(JsonNode json) {
        JsonNode handler = json.path("handler");
        return new TemplateStep(text(json, "name"), strings(json, "depends_on"),
                handler.isObject() ? text(handler, "callable") : text(json, "handler"), value(json, "retry"),
                number(json, "timeout_seconds"), json.hasNonNull("type") ? text(json, "type") : "standard");
    }
}
