package io.tasker.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * How the task commands print a task: readable text by default (the task, then a line per step
 * with its state, attempts and result or last error), or the API's JSON with {@code --json}.
 */
final class TaskOutput {
    private TaskOutput() {}

    static void print(PrintWriter out, JsonNode task, boolean json) {
        if (json) {
            out.println(pretty(task));
        } else {
            text(task).forEach(out::println);
        }
        out.flush();
    }

    static List<String> text(JsonNode task) {
        List<String> lines = new ArrayList<>();
        lines.add("task " + task.path("task_uuid").asText() + "  " + task.path("namespace").asText() + "/"
                + task.path("name").asText() + "@" + task.path("version").asText() + "  " + task.path("state").asText());
        JsonNode steps = task.path("steps");
        int nameWidth = 0;
        int stateWidth = 0;
        for (JsonNode step : steps) {
            nameWidth = Math.max(nameWidth, step.path("name").asText().length());
            stateWidth = Math.max(stateWidth, step.path("state").asText().length());
        }
        for (JsonNode step : steps) {
            String line = "  " + pad(step.path("name").asText(), nameWidth) + "  " + pad(step.path("state").asText(), stateWidth)
                    + "  attempts " + step.path("attempts").asInt() + "/" + step.path("max_attempts").asInt();
            lines.add((line + outcome(step)).stripTrailing());
        }
        return lines;
    }

    /** The result of a finished step, or why its last attempt failed. */
    private static String outcome(JsonNode step) {
        JsonNode results = step.path("results");
        if (!results.isMissingNode() && !results.isNull()) {
            return "  result " + Json.write(results);
        }
        JsonNode error = step.path("last_error");
        if (!error.isMissingNode() && !error.isNull()) {
            return "  last error: " + error.path("message").asText(Json.write(error));
        }
        return "";
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String pretty(JsonNode json) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot print the task as JSON", e);
        }
    }
}
