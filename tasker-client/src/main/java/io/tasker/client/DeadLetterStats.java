package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

import static io.tasker.client.ClientJson.counts;

/**
 * How many dead letters are open and resolved, and the open ones by their task's state now.
 *
 * @param openByTaskState e.g. {@code {"in_progress": 2, "cancelled": 1}}
 * @param json            the document as the server sent it
 */
public record DeadLetterStats(long open, long resolved, Map<String, Long> openByTaskState, JsonNode json) {

    static DeadLetterStats from(JsonNode json) {
        return new DeadLetterStats(json.path("open").asLong(), json.path("resolved").asLong(), counts(json, "open_by_task_state"),
                json);
    }
}
