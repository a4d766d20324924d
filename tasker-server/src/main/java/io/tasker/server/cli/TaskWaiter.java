package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.server.client.TaskerClient;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Follows a task by polling {@code GET /v1/tasks/{id}} until it finishes or time runs out, and
 * reports each step whose state changed since the last poll, e.g.
 * {@code [3/4 complete] step_d in_progress}, so a user watching sees the DAG advance.
 */
final class TaskWaiter {
    static final Set<String> FINISHED = Set.of("complete", "error", "cancelled", "resolved_manually");

    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration MAX_POLL = Duration.ofMillis(250);

    private final TaskerClient client;
    private final PrintWriter progress;
    private final Map<String, String> lastSeen = new HashMap<>();
    private final Set<String> completed = new HashSet<>();

    TaskWaiter(TaskerClient client, PrintWriter progress) {
        this.client = client;
        this.progress = progress;
    }

    /** The task as last seen: finished, or still running when {@code timeout} passed first. */
    JsonNode waitFor(JsonNode task, Duration timeout) throws InterruptedException {
        String id = task.path("task_uuid").asText();
        remember(task);
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_POLL;
        while (!finished(task) && System.nanoTime() - deadline < 0) {
            Thread.sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
            task = client.getTask(id);
            if (finished(task)) {
                // The API reads a task and its steps in separate statements, so the read that first
                // sees the task finished may show a step one commit behind; a finished task no
                // longer changes, so one more read shows it whole.
                task = client.getTask(id);
            }
            report(task);
        }
        return task;
    }

    static boolean finished(JsonNode task) {
        return FINISHED.contains(task.path("state").asText());
    }

    private void remember(JsonNode task) {
        task.path("steps").forEach(step -> {
            lastSeen.put(step.path("name").asText(), signature(step));
            if (step.path("state").asText().equals("complete")) {
                completed.add(step.path("name").asText());
            }
        });
    }

    /**
     * One line per changed step, in template order. The count grows line by line, so steps that
     * all finished between two polls still read as the task's progress.
     */
    private void report(JsonNode task) {
        JsonNode steps = task.path("steps");
        for (JsonNode step : steps) {
            String name = step.path("name").asText();
            String signature = signature(step);
            if (!signature.equals(lastSeen.put(name, signature))) {
                if (step.path("state").asText().equals("complete")) {
                    completed.add(name);
                }
                progress.println("[" + completed.size() + "/" + steps.size() + " complete] " + name + " "
                        + step.path("state").asText() + failure(step));
            }
        }
        progress.flush();
    }

    /** A step changes visibly when its state or its attempt count does (a retry that already ran). */
    private static String signature(JsonNode step) {
        return step.path("state").asText() + "#" + step.path("attempts").asInt();
    }

    private static String failure(JsonNode step) {
        String state = step.path("state").asText();
        if (!state.equals("waiting_for_retry") && !state.equals("error")) {
            return "";
        }
        return " (attempt " + step.path("attempts").asInt() + " of " + step.path("max_attempts").asInt() + ": "
                + step.path("last_error").path("message").asText("no message") + ")";
    }
}
