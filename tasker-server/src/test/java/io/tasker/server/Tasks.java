package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Creating tasks through the API and waiting for them to finish, as a client would. */
public final class Tasks {
    private static final Set<String> FINISHED = Set.of("complete", "error", "cancelled");

    private final Http http;

    public Tasks(Http http) {
        this.http = http;
    }

    /** Creates a task from the newest version of {@code examples/name}; asserts it was created. */
    public String create(String name, String context) {
        return create("examples", name, context);
    }

    /** Creates a task from the newest version of {@code namespace/name}; asserts it was created. */
    public String create(String namespace, String name, String context) {
        Http.Response created = http.post("/v1/tasks", "{\"namespace\": \"" + namespace + "\", \"name\": \"" + name
                + "\", \"context\": " + context + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("task_uuid").asText();
    }

    /**
     * Polls until the task is complete, error or cancelled, then reads it once more: the task and
     * its steps are read by separate statements, so the poll that first sees the task finished may
     * show a step a commit behind; a finished task no longer changes, so the next read is whole.
     */
    public Http.Response awaitFinished(String taskId) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> FINISHED.contains(http.get("/v1/tasks/" + taskId).json().path("state").asText()));
        return http.get("/v1/tasks/" + taskId);
    }

    public static JsonNode step(JsonNode task, String name) {
        for (JsonNode step : task.get("steps")) {
            if (step.get("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("task has no step " + name + ": " + task);
    }
}
