package io.tasker.core.state;

import io.tasker.core.Ids;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.state.TransitionOutcome.Applied;
import io.tasker.core.state.TransitionOutcome.Conflict;
import io.tasker.core.state.TransitionOutcome.Illegal;
import io.tasker.core.state.TransitionOutcome.NotFound;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import io.tasker.core.testing.TaskRows.Transition;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StateTransitionsTest extends EveryServerTest {
    private static final String METADATA = "{\"by\": \"test\", \"n\": 12345678901234567890}";

    @Test
    void everyAllowedTaskTransitionIsAppliedAndRecorded() {
        for (TaskState from : TaskState.values()) {
            for (TaskState to : from.targets()) {
                UUID id = TaskRows.task(dataSource, "ns", from);
                var outcome = Jdbc.inTransaction(dataSource, c ->
                        StateTransitions.transitionTask(c, id, from, to, METADATA));
                assertThat(outcome).as("%s -> %s", from, to).isEqualTo(new Applied<>(from, to));
                assertThat(stateAndCompletion(id)).as("%s -> %s", from, to).isEqualTo(to.dbValue() + "," + to.hasFinished());
                assertThat(TaskRows.taskHistory(dataSource, id)).as("%s -> %s", from, to)
                        .containsExactly(new Transition(from.dbValue(), to.dbValue(), Json.parse(METADATA)));
            }
        }
    }

    @Test
    void aTaskInErrorHasAFinishTimeUntilItRunsAgain() {
        UUID id = TaskRows.task(dataSource, "ns", TaskState.IN_PROGRESS);

        Jdbc.inTransaction(dataSource, c -> StateTransitions.transitionTask(c, id, TaskState.IN_PROGRESS, TaskState.ERROR, null));
        assertThat(stateAndCompletion(id)).isEqualTo("error,true");
        Jdbc.inTransaction(dataSource, c -> StateTransitions.transitionTask(c, id, TaskState.ERROR, TaskState.IN_PROGRESS, null));
        assertThat(stateAndCompletion(id)).isEqualTo("in_progress,false");
    }

    @Test
    void illegalTransitionsTouchNothingAndRunNoSql() throws SQLException {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.COMPLETE);
        Connection closed = dataSource.getConnection();
        closed.close();

        assertThat(StateTransitions.transitionTask(closed, task, TaskState.COMPLETE, TaskState.IN_PROGRESS, null))
                .isEqualTo(new Illegal<>(TaskState.COMPLETE, TaskState.IN_PROGRESS));
        assertThat(StateTransitions.transitionTask(closed, task, TaskState.PENDING, TaskState.COMPLETE, null))
                .isEqualTo(new Illegal<>(TaskState.PENDING, TaskState.COMPLETE));
        assertThat(StateTransitions.transitionTask(closed, task, TaskState.CANCELLED, TaskState.PENDING, null))
                .isEqualTo(new Illegal<>(TaskState.CANCELLED, TaskState.PENDING));

        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("complete");
        assertThat(TaskRows.taskHistory(dataSource, task)).isEmpty();
    }

    @Test
    void aRowInAnotherStateIsAConflictAndAMissingRowIsNotFound() {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.IN_PROGRESS);
        UUID missing = Ids.newId();

        TransitionOutcome<TaskState> conflict = Jdbc.withConnection(dataSource, c ->
                StateTransitions.transitionTask(c, task, TaskState.PENDING, TaskState.IN_PROGRESS, null));
        TransitionOutcome<TaskState> notFound = Jdbc.withConnection(dataSource, c ->
                StateTransitions.transitionTask(c, missing, TaskState.IN_PROGRESS, TaskState.COMPLETE, null));

        assertThat(conflict).isEqualTo(new Conflict<>(TaskState.PENDING, TaskState.IN_PROGRESS));
        assertThat(notFound).isEqualTo(new NotFound<TaskState>(missing));
        assertThat(TaskRows.taskHistory(dataSource, task)).isEmpty();
    }

    @Test
    void ofTwoRacingTransitionsOneAppliesAndTheOtherSeesTheWinnersState() throws Exception {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.IN_PROGRESS);
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection();
             ExecutorService executor = Executors.newSingleThreadExecutor()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            int firstPid = pid(first);
            int secondPid = pid(second);

            assertThat(StateTransitions.transitionTask(first, task, TaskState.IN_PROGRESS, TaskState.COMPLETE, null))
                    .isEqualTo(new Applied<>(TaskState.IN_PROGRESS, TaskState.COMPLETE));
            Future<TransitionOutcome<TaskState>> raced = executor.submit(() ->
                    StateTransitions.transitionTask(second, task, TaskState.IN_PROGRESS, TaskState.CANCELLED, null));
            // The second update now waits for the first transaction's row lock.
            await().atMost(10, TimeUnit.SECONDS).until(() -> isBlockedBy(secondPid, firstPid));
            first.commit();

            assertThat(raced.get(10, TimeUnit.SECONDS))
                    .isEqualTo(new Conflict<>(TaskState.IN_PROGRESS, TaskState.COMPLETE));
            second.commit();
        }
        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("complete");
        assertThat(TaskRows.taskHistory(dataSource, task))
                .containsExactly(new Transition("in_progress", "complete", null));
    }

    @Test
    void theStateChangeAndItsHistoryRowRollBackTogether() throws SQLException {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.PENDING);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(StateTransitions.transitionTask(c, task, TaskState.PENDING, TaskState.IN_PROGRESS, METADATA)
                    .applied()).isTrue();
            assertThat(Jdbc.queryOne(c, "select count(*) from tasker_task_transitions", row -> row.getInt(1)))
                    .contains(1);
            c.rollback();
        }
        assertThat(stateAndCompletion(task)).isEqualTo("pending,false");
        assertThat(TaskRows.taskHistory(dataSource, task)).isEmpty();
    }

    private String stateAndCompletion(UUID id) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select state || ',' || (completed_at is not null) from tasker_tasks where id = ?",
                row -> row.getString(1), id)).orElseThrow();
    }

    private static int pid(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "select pg_backend_pid()", row -> row.getInt(1)).orElseThrow();
    }

    private boolean isBlockedBy(int waiting, int holder) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select ? = any(pg_blocking_pids(?))", row -> row.getBoolean(1), holder, waiting)).orElseThrow();
    }
}
