package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.Step;
import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import io.tasker.client.Transition;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Follows a task until it settles (complete, error, cancelled or resolved by hand), printing each
 * change of its history as it appears: when it happened, how many steps are complete, the step,
 * its new state, the attempt and worker, why an attempt failed and, for a step waiting to be
 * retried, in how many seconds it runs again, e.g.
 * {@code 14:03:07.125 [1/4 complete] process_payment waiting_for_retry  attempt 1/3 failed: card declined, retry in 2 s}.
 *
 * <p>It reads the history ({@code GET /v1/tasks/{uuid}/transitions}) rather than comparing the
 * task between polls, so every attempt shows with its own time even when several happen between
 * two polls. The task is read first, so a history read after it has the change that settled it.
 */
final class TaskWatcher {
    private static final Duration FIRST_POLL = Duration.ofMillis(20);
    private static final Duration MAX_POLL = Duration.ofMillis(250);
    private static final String TASK = "task";

    private final TaskerClient client;
    private final PrintWriter progress;
    private final Set<String> printed = new HashSet<>();
    private final Map<String, String> stepStates = new HashMap<>();

    TaskWatcher(TaskerClient client, PrintWriter progress) {
        this.client = client;
        this.progress = progress;
    }

    /** The task as last read: settled, or still moving when {@code timeout} (null: none) passed first. */
    Task follow(UUID taskId, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        Duration pause = FIRST_POLL;
        while (true) {
            Task task = client.getTask(taskId);
            report(client.transitions(taskId), task);
            if (task.isSettled() || timeout != null && System.nanoTime() - start >= timeout.toNanos()) {
                return task;
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
        }
    }

    private void report(List<Transition> history, Task task) {
        Map<String, Transition> latest = new HashMap<>();
        history.forEach(change -> latest.put(change.subject(), change));
        int width = task.steps().stream().mapToInt(step -> step.name().length()).max().orElse(0);
        Instant now = Instant.now();
        for (Transition change : history) {
            String key = change.subject() + "|" + change.fromState() + "|" + change.toState() + "|" + change.createdAt();
            if (!printed.add(key)) {
                continue;
            }
            if (!change.isTask()) {
                stepStates.put(change.subject(), change.toState());
                if (change.fromState() == null) {
                    continue; // a step created with its task: the task's own line says it started
                }
            }
            long complete = stepStates.values().stream().filter("complete"::equals).count();
            String detail = detail(change, task, change == latest.get(change.subject()), now);
            progress.println(TimeText.clock(change.createdAt()) + " [" + complete + "/" + task.steps().size()
                    + " complete] " + pad(change.subject(), width) + " " + change.toState()
                    + (detail.isEmpty() ? "" : "  " + detail));
        }
        progress.flush();
    }

    /**
     * The attempt and worker of a claim or its end, the error of a failed attempt, why a claim went
     * back to the queue, who took an operator's action and why; and, on a step's latest change
     * while it waits for a retry, when the retry comes.
     */
    private static String detail(Transition change, Task task, boolean latest, Instant now) {
        JsonNode metadata = change.metadata();
        if (metadata == null) {
            return "";
        }
        if (metadata.hasNonNull("action")) {
            String reason = metadata.path("reason").asText("");
            return metadata.path("action").asText() + " by " + metadata.path("actor").asText("?")
                    + (reason.isEmpty() ? "" : ": " + reason);
        }
        Step step = change.isTask() ? null : task.step(change.subject()).orElse(null);
        List<String> parts = new ArrayList<>();
        if (metadata.hasNonNull("attempt")) {
            String attempt = "attempt " + metadata.get("attempt").asInt() + (step == null ? "" : "/" + step.maxAttempts());
            parts.add(attempt + (metadata.has("error") ? " failed: " + metadata.path("error").path("message").asText() : ""));
        }
        if (change.toState().equals("in_progress") && metadata.hasNonNull("worker")) {
            parts.add("on " + metadata.get("worker").asText());
        }
        if (metadata.hasNonNull("reason")) {
            parts.add(why(metadata.get("reason").asText()));
        }
        if (latest && step != null && step.state().equals("waiting_for_retry") && step.nextAttemptAt() != null) {
            parts.add("retry in " + TimeText.secondsUntil(step.nextAttemptAt(), now) + " s");
        }
        return String.join(", ", parts);
    }

    /** Why a claim went back to the queue, or why the task ended, in words. */
    private static String why(String reason) {
        return switch (reason) {
            case "retry" -> "to be retried";
            case "released" -> "released by its worker, which stopped";
            case "lease_expired" -> "its worker's lease expired";
            default -> reason.replace('_', ' ');
        };
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
