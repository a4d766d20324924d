package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.UUID;

import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.uuid;

/**
 * The most recently failed step of a task, as lists and dead letters show it.
 *
 * @param stepUuid null where the server does not say
 */
public record FailedStep(String stepName, UUID stepUuid, String message, String errorType) {

    /** Null for JSON null or a missing field. */
    static FailedStep from(JsonNode json) {
        return json == null ? null : new FailedStep(text(json, "step_name"), uuid(json, "step_uuid"),
                text(json, "message"), text(json, "error_type"));
    }
}
