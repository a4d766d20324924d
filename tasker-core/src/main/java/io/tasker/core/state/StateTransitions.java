package io.tasker.core.state;

import io.tasker.core.internal.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Compare-and-swap state changes of tasks, in the caller's transaction. The update and
 * its history row are one statement, so they commit or roll back together; the expected state in
 * the {@code WHERE} clause is what makes two racing writers safe without locking first. (Under
 * REPEATABLE READ or SERIALIZABLE a lost race is a serialization failure instead of a
 * {@link TransitionOutcome.Conflict}, as PostgreSQL reports it.)
 *
 * <p>Steps change state on the step path, in the server-side functions the
 * {@link io.tasker.core.queue.StepQueue} and the orchestration call, which keep their history as
 * one row per attempt; the transitions they may make are those of {@link StepState}.
 */
public final class StateTransitions {
    private StateTransitions() {}

    private record Table<S extends Enum<S> & LifecycleState<S>>(
            String transitionSql, String currentStateSql, Function<String, S> fromDb, Predicate<S> finished) {}

    private static final Table<TaskState> TASKS = new Table<>("""
            with changed as (
                update tasker_tasks
                   set state = ?, updated_at = now(),
                       completed_at = case when ? then now() end
                 where id = ? and state = ?
                returning id
            )
            insert into tasker_task_transitions (task_id, from_state, to_state, metadata)
            select id, ?, ?, ?::jsonb from changed
            """,
            "select state from tasker_tasks where id = ?",
            TaskState::fromDb, TaskState::hasFinished);

    /** Moves a task from {@code expected} to {@code target}; {@code metadataJson} may be null. */
    public static TransitionOutcome<TaskState> transitionTask(
            Connection connection, UUID taskId, TaskState expected, TaskState target, String metadataJson)
            throws SQLException {
        return transition(connection, TASKS, taskId, expected, target, metadataJson);
    }

    private static <S extends Enum<S> & LifecycleState<S>> TransitionOutcome<S> transition(
            Connection connection, Table<S> table, UUID id, S expected, S target, String metadataJson)
            throws SQLException {
        if (!expected.canTransitionTo(target)) {
            return new TransitionOutcome.Illegal<>(expected, target);
        }
        int applied = Jdbc.update(connection, table.transitionSql(),
                target.dbValue(), table.finished().test(target), id, expected.dbValue(),
                expected.dbValue(), target.dbValue(), metadataJson == null ? null : Jdbc.json(metadataJson));
        if (applied == 1) {
            return new TransitionOutcome.Applied<>(expected, target);
        }
        // A new statement: under READ COMMITTED it sees the change that beat us.
        return Jdbc.queryOne(connection, table.currentStateSql(), row -> table.fromDb().apply(row.getString(1)), id)
                .<TransitionOutcome<S>>map(actual -> new TransitionOutcome.Conflict<>(expected, actual))
                .orElseGet(() -> new TransitionOutcome.NotFound<>(id));
    }
}
