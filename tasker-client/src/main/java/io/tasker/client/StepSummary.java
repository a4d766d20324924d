package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

import static io.tasker.client.ClientJson.instant;
import static io.tasker.client.ClientJson.integer;
import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.uuid;
import static io.tasker.client.ClientJson.value;

/**
 * A step as the list of steps across tasks ({@link TaskerClient#listSteps}) shows it.
 *
 * @param taskName the name of its task's template
 * @param json     the document as the server sent it
 */
public record StepSummary(UUID stepUuid, UUID taskUuid, String namespace, String taskName, String name, String state,
                          int attempts, int maxAttempts, JsonNode lastError, Instant updatedAt, JsonNode json) {

    /** The message of {@link #lastError()}, or null. */
    public String lastErrorMessage() {
        return lastError == null ? null : lastError.path("message").asText(lastError.toString());
    }

    static StepSummary from(JsonNode json) {
        return new StepSummary(uuid(json, "step_uuid"), uuid(json, "task_uuid"), text(json, "namespace"),
                text(json, "task_name"), text(json, "name"), text(json, "state"), integer(json, "attempts"),
                integer(json, "max_attempts"), value(json, "last_error"), instant(json, "updated_at"), json);
    }
}
