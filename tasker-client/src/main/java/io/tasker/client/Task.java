package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.tasker.client.ClientJson.counts;
import static io.tasker.client.ClientJson.instant;
import static io.tasker.client.ClientJson.integer;
import static io.tasker.client.ClientJson.list;
import static io.tasker.client.ClientJson.number;
import static io.tasker.client.ClientJson.strings;
import static io.tasker.client.ClientJson.text;
import static io.tasker.client.ClientJson.uuid;
import static io.tasker.client.ClientJson.value;

/**
 * A task: one run of a template. {@link TaskerClient#getTask} and the operator actions answer it
 * whole, with its {@code context} and {@code steps}; a list ({@link TaskerClient#listTasks}) shows
 * it without those two (null and empty) but with {@code durationMs}, {@code stepCounts} and, for a
 * task in error, {@code lastError}, which a single task may leave out (null, empty).
 *
 * @param context  the task's input as sent, numbers exact
 * @param warnings only from {@link TaskerClient#createTask}: a line for each step no live worker runs
 *                 ("no live worker runs `Greetings::SayHelo` (step say_hello)"); the task waits until
 *                 a worker that runs it starts. Empty otherwise.
 * @param json     the document as the server sent it, with any field this client does not know
 */
public record Task(UUID taskUuid, String namespace, String name, String version, String state, JsonNode context,
                   String initiator, String sourceSystem, String reason, List<String> tags, int priority,
                   UUID correlationId, Instant createdAt, Instant updatedAt, Instant completedAt, List<Step> steps,
                   Long durationMs, Map<String, Long> stepCounts, FailedStep lastError, List<String> warnings,
                   JsonNode json) {
    /**
     * States nothing changes but an operator: {@code error} is one, as a task in error waits for a
     * step to be retried, resolved or completed by hand.
     */
    public static final Set<String> SETTLED_STATES = Set.of("complete", "error", "cancelled", "resolved_manually");

    /** True when the task is complete, error, cancelled or resolved_manually. */
    public boolean isSettled() {
        return SETTLED_STATES.contains(state);
    }

    /** {@code namespace/name@version}, the way the CLI and the messages name a template. */
    public String templateKey() {
        return namespace + "/" + name + "@" + version;
    }

    public Optional<Step> step(String stepName) {
        return steps.stream().filter(step -> step.name().equals(stepName)).findFirst();
    }

    static Task from(JsonNode json) {
        return new Task(uuid(json, "task_uuid"), text(json, "namespace"), text(json, "name"), text(json, "version"),
                text(json, "state"), value(json, "context"), text(json, "initiator"), text(json, "source_system"),
                text(json, "reason"), strings(json, "tags"), integer(json, "priority"), uuid(json, "correlation_id"),
                instant(json, "created_at"), instant(json, "updated_at"), instant(json, "completed_at"),
                list(json, "steps", Step::from), number(json, "duration_ms"), counts(json, "step_counts"),
                FailedStep.from(value(json, "last_error")), strings(json, "warnings"), json);
    }
}
