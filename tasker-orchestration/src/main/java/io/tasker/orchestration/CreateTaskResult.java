package io.tasker.orchestration;

import java.util.UUID;

/** What creating a task did: a new task, or the task that already has the same identity. */
public sealed interface CreateTaskResult {
    record Created(TaskView task) implements CreateTaskResult {}

    record Duplicate(UUID existingTaskId) implements CreateTaskResult {}
}
