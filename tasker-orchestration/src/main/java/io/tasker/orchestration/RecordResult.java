package io.tasker.orchestration;

import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;

import java.util.UUID;

/**
 * What recording one finished step did. {@code recorded} is false when the worker no longer held
 * the claim at that attempt (its lease expired and the step went elsewhere): nothing was changed
 * then. {@code stepState} is the state the step moved to; {@code finishedTask} is the task's new
 * state when this recording finished the task, else null.
 */
public record RecordResult(UUID stepId, boolean recorded, StepState stepState, TaskState finishedTask) {}
