package io.tasker.server.cli;

import io.tasker.client.Step;
import io.tasker.client.Task;
import io.tasker.core.internal.Json;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How the commands that show one task print it: a line for the task, then its steps aligned, each
 * with its state, attempts and result or last error (and when a waiting step runs again); or, with
 * {@code --output json}, the API's JSON. A task of a template with decisions also shows which steps
 * are decisions or convergence steps and which decision created a step.
 */
final class TaskOutput {
    /** Results longer than this are cut in the table; {@code --output json} shows them whole. */
    private static final int RESULT_WIDTH = 200;

    private TaskOutput() {}

    static void print(PrintWriter out, Task task, OutputOptions output) {
        if (output.isJson()) {
            JsonOutput.print(out, task.json());
            return;
        }
        text(task, Instant.now()).forEach(out::println);
        out.flush();
    }

    static List<String> text(Task task, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add("task " + task.taskUuid() + "  " + task.templateKey() + "  " + task.state() + finished(task));
        Table steps = Table.withoutHeader();
        boolean dynamic = task.steps().stream().anyMatch(step -> !origin(step).isEmpty());
        for (Step step : task.steps()) {
            String attempts = "attempts " + step.attempts() + "/" + step.maxAttempts();
            if (dynamic) {
                steps.row("", step.name(), step.state(), attempts, origin(step), outcome(step, now));
            } else {
                steps.row("", step.name(), step.state(), attempts, outcome(step, now));
            }
        }
        lines.addAll(steps.lines());
        return lines;
    }

    /** "decision", "convergence", "created by routing_decision" (or both), or nothing for a standard step made with its task. */
    private static String origin(Step step) {
        String type = switch (step.type() == null ? "standard" : step.type()) {
            case "decision" -> "decision";
            case "deferred_convergence" -> "convergence";
            default -> "";
        };
        String created = step.createdBy() == null ? "" : "created by " + step.createdBy();
        return type.isEmpty() || created.isEmpty() ? type + created : type + ", " + created;
    }

    /** "  finished 2025-05-01 14:03:07 after 1.2 s" for a task that stopped running, one in error included. */
    private static String finished(Task task) {
        if (task.completedAt() == null) {
            return "";
        }
        return "  finished " + TimeText.dateTime(task.completedAt()) + " after "
                + TimeText.duration(Duration.between(task.createdAt(), task.completedAt()).toMillis());
    }

    /**
     * The result of a finished step, or why its last attempt failed and when it runs again; and
     * for a waiting step that no live worker runs, that.
     */
    private static String outcome(Step step, Instant now) {
        if (step.results() != null) {
            return "result " + Table.shorten(Json.write(step.results()), RESULT_WIDTH);
        }
        String error = step.lastError() == null ? "" : "last error: " + step.lastErrorMessage()
                + (step.nextAttemptAt() == null ? "" : "; retry in " + TimeText.secondsUntil(step.nextAttemptAt(), now) + " s");
        if (step.unserved() == null) {
            return error;
        }
        return error.isEmpty() ? step.unserved() : error + "; " + step.unserved();
    }
}
