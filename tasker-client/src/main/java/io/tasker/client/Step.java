package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.tasker.client.ClientJson.instant;
import static io.tasker.client.ClientJson.integer;
import static io.tasker.client.ClientJson.strings;
import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.uuid;
import static io.tasker.client.ClientJson.value;

/**
 * A step of a {@link Task}, as it is now: its current or last attempt.
 *
 * @param type          standard, decision or deferred_convergence
 * @param dependsOn     the steps it waits for; for a deferred convergence step, those of its template
 *                      dependencies that were created
 * @param createdBy     the decision step whose outcome created this step, or null for one created
 *                      with its task
 * @param results       what its handler returned (numbers exact), or null
 * @param lastError     why its last attempt failed ({@code message}, {@code error_type}, ...), or null
 * @param nextAttemptAt when a step {@code waiting_for_retry} runs again, else null
 * @param unserved      for a step waiting to run: "no live worker runs `CALLABLE`" when no worker that
 *                      runs its callable is live, so it waits until one starts; else null
 */
public record Step(UUID stepUuid, String name, String handler, String type, String state, List<String> dependsOn,
                   String createdBy, int attempts, int maxAttempts, JsonNode results, JsonNode lastError,
                   Instant nextAttemptAt, Instant createdAt, Instant updatedAt, Instant completedAt, String unserved) {

    /** The message of {@link #lastError()}, or null. */
    public String lastErrorMessage() {
        return lastError == null ? null : lastError.path("message").asText(lastError.toString());
    }

    static Step from(JsonNode json) {
        return new Step(uuid(json, "step_uuid"), text(json, "name"), text(json, "handler"), text(json, "type"),
                text(json, "state"), strings(json, "depends_on"), text(json, "created_by"), integer(json, "attempts"),
                integer(json, "max_attempts"), value(json, "results"), value(json, "last_error"), instant(json, "next_attempt_at"),
                instant(json, "created_at"), instant(json, "updated_at"), instant(json, "completed_at"),
                text(json, "unserved"));
    }
}
