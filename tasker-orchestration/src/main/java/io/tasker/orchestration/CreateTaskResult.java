package io.tasker.orchestration;

import java.util.UUID;

/** What creating a task did: a new task, or the task that already has the same identity. */
public sealed interface CreateTaskResult {
    /**
     * The new task's id, and the task as clients see it when the creator was asked for it
     * ({@link TaskCreator#create(TaskRequest)}); null otherwise ({@link TaskCreator#start}).
     */
    record Created(UUID taskId, TaskView task) implements CreateTaskResult {}

    record Duplicate(UUID existingTaskId) implements CreateTaskResult {}
}
