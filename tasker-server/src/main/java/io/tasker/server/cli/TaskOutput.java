package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.Step;
import io.tasker.client.Task;
import io.tasker.core.internal.Json;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the commands that show one task print it: a line for the task, then its steps aligned, each
 * with its state, attempts and result or last error (and when a waiting step runs again); or, with
 * {@code --output json}, the API's JSON. A task of a template with decisions also shows which steps
 * are decisions or convergence steps and which decision created a step. A batch of more than
 * {@value #GROUPED_OVER} instances of one worker template is one line with its counts by state, not
 * a line an instance: a batch may have 100,000.
 */
final class TaskOutput {
    /** Results longer than this are cut in the table; {@code --output json} shows them whole. */
    private static final int RESULT_WIDTH = 200;
    /** More instances of one worker template than this are shown as one line. */
    static final int GROUPED_OVER = 20;

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
        Map<String, List<Step>> batches = batches(task);
        Table steps = Table.withoutHeader();
        // Where each batch's line goes among the table's lines: in place of its first instance.
        Map<Integer, String> batchLines = new HashMap<>();
        List<Step> listed = new ArrayList<>();
        for (int i = 0; i < task.steps().size(); i++) {
            Step step = task.steps().get(i);
            String template = workerTemplate(task, i);
            List<Step> batch = template == null ? null : batches.get(template);
            if (batch == null) {
                listed.add(step);
            } else if (batch.getFirst() == step) {
                batchLines.put(listed.size(), batchLine(template, batch));
            }
        }
        boolean dynamic = listed.stream().anyMatch(step -> !origin(step).isEmpty());
        for (Step step : listed) {
            String attempts = "attempts " + step.attempts() + "/" + step.maxAttempts();
            if (dynamic) {
                steps.row("", step.name(), step.state(), attempts, origin(step), outcome(step, now));
            } else {
                steps.row("", step.name(), step.state(), attempts, outcome(step, now));
            }
        }
        List<String> rows = steps.lines();
        for (int row = 0; row <= rows.size(); row++) {
            if (batchLines.containsKey(row)) {
                lines.add(batchLines.get(row));
            }
            if (row < rows.size()) {
                lines.add(rows.get(row));
            }
        }
        return lines;
    }

    /**
     * The batches to show as one line: the instances of each worker template that has more than
     * {@link #GROUPED_OVER}, in task order. An instance is a step whose JSON has a {@code batch}.
     */
    private static Map<String, List<Step>> batches(Task task) {
        Map<String, List<Step>> byTemplate = new LinkedHashMap<>();
        for (int i = 0; i < task.steps().size(); i++) {
            String template = workerTemplate(task, i);
            if (template != null) {
                byTemplate.computeIfAbsent(template, t -> new ArrayList<>()).add(task.steps().get(i));
            }
        }
        byTemplate.values().removeIf(instances -> instances.size() <= GROUPED_OVER);
        return byTemplate;
    }

    /** The worker template of the task's {@code i}th step when it is a batch instance, else null. */
    private static String workerTemplate(Task task, int i) {
        JsonNode template = task.json().path("steps").path(i).path("batch").path("worker_template");
        return template.isTextual() ? template.asText() : null;
    }

    /** {@code  process_csv_batch × 10,000: 9,990 complete, 10 in_progress}, the most frequent state first. */
    static String batchLine(String template, List<Step> instances) {
        Map<String, Long> counts = instances.stream()
                .collect(Collectors.groupingBy(Step::state, LinkedHashMap::new, Collectors.counting()));
        String byState = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(count -> count(count.getValue()) + " " + count.getKey())
                .collect(Collectors.joining(", "));
        return "  " + template + " \u00d7 " + count(instances.size()) + ": " + byState;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * "decision", "convergence", any other type that is not standard as the API names it
     * ("batchable"), "created by routing_decision" (or both), or nothing for a standard step made
     * with its task.
     */
    private static String origin(Step step) {
        String type = switch (step.type() == null ? "standard" : step.type()) {
            case "standard" -> "";
            case "deferred_convergence" -> "convergence";
            default -> step.type();
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
