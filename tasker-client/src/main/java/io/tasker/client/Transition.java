package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

import static io.tasker.client.ClientJson.instant;
import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.value;

/**
 * One state change in a task's history.
 *
 * @param subject   {@code task}, or the name of the step that changed
 * @param fromState null for the change that created the subject
 * @param metadata  why it happened: the {@code worker} and {@code attempt} of a claim or its end,
 *                  the {@code error} of a failed attempt, a {@code reason}; for an operator's action
 *                  its {@code action}, {@code actor} and {@code reason}. Null when there is nothing to say.
 */
public record Transition(String subject, String fromState, String toState, JsonNode metadata, Instant createdAt) {

    public boolean isTask() {
        return "task".equals(subject);
    }

    static Transition from(JsonNode json) {
        return new Transition(text(json, "subject"), text(json, "from_state"), text(json, "to_state"),
                value(json, "metadata"), instant(json, "created_at"));
    }
}
