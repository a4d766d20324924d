package io.tasker.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.worker.TaskSequenceStep;

import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** What a {@link StepHandler} sees of the step it runs. */
public final class StepContext {
    private final TaskSequenceStep step;
    private final BooleanSupplier cancelled;

    public StepContext(TaskSequenceStep step) {
        this(step, () -> false);
    }

    /** @param cancelled whether the worker gave up on this step (see {@link #isCancelled()}) */
    public StepContext(TaskSequenceStep step, BooleanSupplier cancelled) {
        this.step = step;
        this.cancelled = cancelled;
    }

    /**
     * True once the worker gave up on this step: its task was cancelled, its timeout passed or its
     * claim was lost. The handler's thread is interrupted then too; a handler that works in a loop
     * should stop when this turns true. Its result is not recorded.
     */
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    public UUID taskUuid() {
        return step.taskUuid();
    }

    public UUID stepUuid() {
        return step.stepUuid();
    }

    public String namespace() {
        return step.namespace();
    }

    public String stepName() {
        return step.step().name();
    }

    /** The task's context, as given when the task was created. */
    public JsonNode taskContext() {
        return step.taskContext();
    }

    /** The step's {@code handler.initialization} from the template. */
    public ObjectNode initialization() {
        return step.step().initialization();
    }

    /** The result of any ancestor step (not only direct parents), or null when there is none. */
    public JsonNode dependencyResult(String stepName) {
        return step.dependencyResults().get(stepName);
    }

    /** The results of all ancestor steps by step name. */
    public Map<String, JsonNode> dependencyResults() {
        return step.dependencyResults();
    }

    /** Which run this is: 1 on the first run, 2 on the first retry. */
    public int attempt() {
        return step.attempt();
    }

    public int maxAttempts() {
        return step.maxAttempts();
    }

    public TaskSequenceStep taskSequenceStep() {
        return step;
    }
}
