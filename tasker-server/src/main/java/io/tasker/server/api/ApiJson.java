package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RegisteredTemplate;
import io.tasker.orchestration.DeadLetters;
import io.tasker.orchestration.Page;
import io.tasker.orchestration.StepSummary;
import io.tasker.orchestration.StepView;
import io.tasker.orchestration.TaskSummary;
import io.tasker.orchestration.TaskView;
import io.tasker.orchestration.TransitionView;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The JSON documents the API serves. Written field by field rather than by reflecting on the
 * records, so renaming a Java field can never change the wire format clients depend on. Every
 * field is always present (null when unset), and numbers inside contexts and results pass through
 * exactly.
 */
final class ApiJson {
    private ApiJson() {}

    /**
     * A task with its steps in template order; {@code unserved} has the note of each step that waits
     * for a worker no live worker is ({@link io.tasker.orchestration.UnservedSteps}), by step id.
     */
    static ObjectNode task(TaskView task, Map<UUID, String> unserved) {
        ObjectNode json = taskSummary(task);
        ArrayNode steps = json.putArray("steps");
        task.steps().forEach(step -> steps.add(step(step, unserved.get(step.id()))));
        return json;
    }

    /** A task without its steps, as lists show it. */
    static ObjectNode taskSummary(TaskView task) {
        ObjectNode json = object()
                .put("task_uuid", text(task.id()))
                .put("namespace", task.namespace())
                .put("name", task.name())
                .put("version", task.version())
                .put("state", task.state().dbValue());
        json.set("context", task.context());
        json.put("initiator", task.initiator())
                .put("source_system", task.sourceSystem())
                .put("reason", task.reason());
        ArrayNode tags = json.putArray("tags");
        task.tags().forEach(tags::add);
        return json.put("priority", task.priority())
                .put("correlation_id", text(task.correlationId()))
                .put("created_at", text(task.createdAt()))
                .put("updated_at", text(task.updatedAt()))
                .put("completed_at", text(task.completedAt()));
    }

    /**
     * A task as a list shows it: without steps and context, with its duration, its steps counted
     * by state and, in error, its most recently failed step.
     */
    static ObjectNode listItem(TaskSummary summary, Instant now) {
        TaskView task = summary.task();
        ObjectNode json = taskSummary(task);
        json.remove("context");
        // A finished task, one in error included, has its finish time; one that runs has none yet.
        Instant end = task.completedAt() != null ? task.completedAt() : now;
        json.put("duration_ms", Math.max(0, Duration.between(task.createdAt(), end).toMillis()));
        ObjectNode counts = json.putObject("step_counts");
        summary.stepCounts().forEach(counts::put);
        json.set("last_error", orNull(summary.lastError()));
        return json;
    }

    /** A step as the list across tasks shows it. */
    static ObjectNode stepSummary(StepSummary step) {
        ObjectNode json = object()
                .put("step_uuid", text(step.stepId()))
                .put("task_uuid", text(step.taskId()))
                .put("namespace", step.namespace())
                .put("task_name", step.taskName())
                .put("name", step.name())
                .put("state", step.state())
                .put("attempts", step.attempts())
                .put("max_attempts", step.maxAttempts());
        json.set("last_error", orNull(step.lastError()));
        return json.put("updated_at", text(step.updatedAt()));
    }

    static ObjectNode deadLetter(DeadLetters.Entry entry) {
        ObjectNode json = object()
                .put("id", text(entry.id()))
                .put("task_uuid", text(entry.taskId()))
                .put("namespace", entry.namespace())
                .put("name", entry.name())
                .put("reason", entry.reason())
                .put("created_at", text(entry.createdAt()))
                .put("resolved_at", text(entry.resolvedAt()))
                .put("resolved_by", entry.resolvedBy())
                .put("resolution", entry.resolution())
                .put("task_state", entry.taskState());
        json.set("last_error", orNull(entry.lastError()));
        return json;
    }

    /** A page of a list: its items under {@code field}, and {@code next_cursor}. */
    static <T> ObjectNode page(String field, Page<T> page, Function<T, JsonNode> item) {
        ObjectNode json = object();
        ArrayNode items = json.putArray(field);
        page.items().forEach(i -> items.add(item.apply(i)));
        return json.put("next_cursor", page.next() == null ? null : page.next().encode());
    }

    static ObjectNode step(StepView step, String unserved) {
        ObjectNode json = object()
                .put("step_uuid", text(step.id()))
                .put("name", step.name())
                .put("handler", step.handlerCallable())
                .put("type", step.type())
                .put("state", step.state().dbValue());
        ArrayNode dependsOn = json.putArray("depends_on");
        step.dependsOn().forEach(dependsOn::add);
        json.put("created_by", step.createdBy());
        // Only on a batch worker instance, and on a step that saved a checkpoint (docs/dynamic-workflows.md).
        if (step.batch() != null) {
            json.set("batch", step.batch());
        }
        if (step.checkpoint() != null) {
            json.set("checkpoint", step.checkpoint());
        }
        json.put("attempts", step.attempts()).put("max_attempts", step.maxAttempts());
        json.set("results", orNull(step.results()));
        json.set("last_error", orNull(step.lastError()));
        return json.put("next_attempt_at", text(step.nextAttemptAt()))
                .put("created_at", text(step.createdAt()))
                .put("updated_at", text(step.updatedAt()))
                .put("completed_at", text(step.completedAt()))
                .put("unserved", unserved);
    }

    /** One entry of a task's history; {@code subject} is {@code task} or the step's name. */
    static ObjectNode transition(TransitionView transition) {
        ObjectNode json = object()
                .put("subject", transition.subject())
                .put("from_state", transition.fromState())
                .put("to_state", transition.toState());
        json.set("metadata", orNull(transition.metadata()));
        return json.put("created_at", text(transition.at()));
    }

    /** A registered template: its definition as registered, and when. */
    static ObjectNode template(RegisteredTemplate registered) {
        ObjectNode json = (ObjectNode) Json.parse(registered.template().toJson());
        return json.put("registered_at", text(registered.createdAt()));
    }

    private static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? Json.MAPPER.nullNode() : node;
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
