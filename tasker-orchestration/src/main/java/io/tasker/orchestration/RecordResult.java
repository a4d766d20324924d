package io.tasker.orchestration;

import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;

import java.util.List;

/**
 * What recording a step result did. {@code recorded} is false when the worker no longer held the
 * claim (its lease expired and the step went to another worker): nothing was changed then.
 */
public record RecordResult(boolean recorded, StepState stepState, TaskState taskState, List<ClaimedStep> eagerlyClaimed) {
    public RecordResult {
        eagerlyClaimed = eagerlyClaimed == null ? List.of() : List.copyOf(eagerlyClaimed);
    }
}
