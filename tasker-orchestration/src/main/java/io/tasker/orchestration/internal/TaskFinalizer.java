package io.tasker.orchestration.internal;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.state.StateTransitions;
import io.tasker.core.state.TaskState;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Decides whether a task is finished, in the transaction that just changed one of its steps,
 * under the lock on the task row. A task is complete when every step is; it is in error when a
 * step failed for good and nothing else can still progress (steps that can run, run first).
 */
public final class TaskFinalizer {
    private static final String COUNTS = """
            select count(*) filter (where state in ('enqueued', 'in_progress', 'waiting_for_retry')) as active,
                   count(*) filter (where state = 'error') as errors,
                   count(*) filter (where state not in ('complete', 'resolved_manually')) as unfinished
              from tasker_steps
             where task_id = ?
            """;

    private TaskFinalizer() {}

    private record Counts(long active, long errors, long unfinished) {}

    /** Returns the task's state after the check. */
    public static TaskState finalizeIfDone(Connection connection, UUID taskId, TaskState current) throws SQLException {
        if (current != TaskState.IN_PROGRESS) {
            return current;
        }
        Counts counts = Jdbc.queryOne(connection, COUNTS,
                row -> new Counts(row.getLong("active"), row.getLong("errors"), row.getLong("unfinished")), taskId)
                .orElseThrow();
        TaskState target;
        String metadata;
        if (counts.unfinished() == 0) {
            target = TaskState.COMPLETE;
            metadata = "{\"reason\":\"all_steps_complete\"}";
        } else if (counts.active() == 0 && counts.errors() > 0) {
            target = TaskState.ERROR;
            metadata = "{\"reason\":\"steps_failed\",\"failed_steps\":" + counts.errors() + "}";
        } else {
            return current;
        }
        return StateTransitions.transitionTask(connection, taskId, current, target, metadata).applied() ? target : current;
    }
}
