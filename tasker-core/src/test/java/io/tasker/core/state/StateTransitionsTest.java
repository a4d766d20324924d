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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StateTransitionsTest extends EveryServerTest {
    private static final String METADATA = "{\"by\": \"test\", \"n\": 12345678901234567890}";

    @FunctionalInterface
    private interface Move<S> {
        TransitionOutcome<S> apply(Connection connection, UUID id, S from, S to, String metadata) throws SQLException;
    }

    /** Tasks and steps go through the same checks; this is what differs between them. */
    private record Subject<S extends Enum<S> & LifecycleState<S>>(
            String table, S[] states, Function<S, UUID> insert, Move<S> move,
            Function<UUID, List<Transition>> history) {}

    private Subject<TaskState> tasks() {
        return new Subject<>("tasker_tasks", TaskState.values(), state -> TaskRows.task(dataSource, "ns", state),
                StateTransitions::transitionTask, id -> TaskRows.taskHistory(dataSource, id));
    }

    private Subject<StepState> steps() {
        return new Subject<>("tasker_steps", StepState.values(),
                state -> TaskRows.steps(dataSource, "ns", state, 1).getFirst(),
                StateTransitions::transitionStep, id -> TaskRows.stepHistory(dataSource, id));
    }

    @Test
    void everyAllowedTaskTransitionIsAppliedAndRecorded() {
        assertEveryAllowedTransitionApplies(tasks());
    }

    @Test
    void everyAllowedStepTransitionIsAppliedAndRecorded() {
        assertEveryAllowedTransitionApplies(steps());
    }

    private <S extends Enum<S> & LifecycleState<S>> void assertEveryAllowedTransitionApplies(Subject<S> subject) {
        for (S from : subject.states()) {
            for (S to : from.targets()) {
                UUID id = subject.insert().apply(from);
                var outcome = Jdbc.inTransaction(dataSource, c -> subject.move().apply(c, id, from, to, METADATA));
                assertThat(outcome).as("%s -> %s", from, to).isEqualTo(new Applied<>(from, to));
                assertThat(stateAndCompletion(subject.table(), id))
                        .as("%s -> %s", from, to).isEqualTo(to.dbValue() + "," + to.isFinal());
                assertThat(subject.history().apply(id)).as("%s -> %s", from, to)
                        .containsExactly(new Transition(from.dbValue(), to.dbValue(), Json.parse(METADATA)));
            }
        }
    }

    @Test
    void illegalTransitionsTouchNothingAndRunNoSql() throws SQLException {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.COMPLETE);
        UUID step = TaskRows.steps(dataSource, "ns", StepState.PENDING, 1).getFirst();
        Connection closed = dataSource.getConnection();
        closed.close();

        assertThat(StateTransitions.transitionTask(closed, task, TaskState.COMPLETE, TaskState.IN_PROGRESS, null))
                .isEqualTo(new Illegal<>(TaskState.COMPLETE, TaskState.IN_PROGRESS));
        assertThat(StateTransitions.transitionTask(closed, task, TaskState.PENDING, TaskState.COMPLETE, null))
                .isEqualTo(new Illegal<>(TaskState.PENDING, TaskState.COMPLETE));
        assertThat(StateTransitions.transitionTask(closed, task, TaskState.CANCELLED, TaskState.PENDING, null))
                .isEqualTo(new Illegal<>(TaskState.CANCELLED, TaskState.PENDING));
        assertThat(StateTransitions.transitionStep(closed, step, StepState.PENDING, StepState.IN_PROGRESS, null))
                .isEqualTo(new Illegal<>(StepState.PENDING, StepState.IN_PROGRESS));
        assertThat(StateTransitions.transitionStep(closed, step, StepState.PENDING, StepState.PENDING, null))
                .isEqualTo(new Illegal<>(StepState.PENDING, StepState.PENDING));
        assertThat(StateTransitions.transitionStep(closed, step, StepState.ENQUEUED, StepState.COMPLETE, null))
                .isEqualTo(new Illegal<>(StepState.ENQUEUED, StepState.COMPLETE));
        assertThat(StateTransitions.transitionStep(closed, step, StepState.COMPLETE, StepState.ENQUEUED, null))
                .isEqualTo(new Illegal<>(StepState.COMPLETE, StepState.ENQUEUED));

        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("complete");
        assertThat(TaskRows.stepState(dataSource, step)).isEqualTo("pending");
        assertThat(TaskRows.taskHistory(dataSource, task)).isEmpty();
        assertThat(TaskRows.stepHistory(dataSource, step)).isEmpty();
    }

    @Test
    void aRowInAnotherStateIsAConflictAndAMissingRowIsNotFound() {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.IN_PROGRESS);
        UUID missing = Ids.newId();

        TransitionOutcome<TaskState> conflict = Jdbc.withConnection(dataSource, c ->
                StateTransitions.transitionTask(c, task, TaskState.PENDING, TaskState.IN_PROGRESS, null));
        TransitionOutcome<StepState> notFound = Jdbc.withConnection(dataSource, c ->
                StateTransitions.transitionStep(c, missing, StepState.PENDING, StepState.ENQUEUED, null));

        assertThat(conflict).isEqualTo(new Conflict<>(TaskState.PENDING, TaskState.IN_PROGRESS));
        assertThat(notFound).isEqualTo(new NotFound<StepState>(missing));
        assertThat(TaskRows.taskHistory(dataSource, task)).isEmpty();
    }

    @Test
    void ofTwoRacingTransitionsOneAppliesAndTheOtherSeesTheWinnersState() throws Exception {
        UUID step = TaskRows.steps(dataSource, "ns", StepState.PENDING, 1).getFirst();
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection();
             ExecutorService executor = Executors.newSingleThreadExecutor()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            int firstPid = pid(first);
            int secondPid = pid(second);

            assertThat(StateTransitions.transitionStep(first, step, StepState.PENDING, StepState.ENQUEUED, null))
                    .isEqualTo(new Applied<>(StepState.PENDING, StepState.ENQUEUED));
            Future<TransitionOutcome<StepState>> raced = executor.submit(() ->
                    StateTransitions.transitionStep(second, step, StepState.PENDING, StepState.CANCELLED, null));
            // The second update now waits for the first transaction's row lock.
            await().atMost(10, TimeUnit.SECONDS).until(() -> isBlockedBy(secondPid, firstPid));
            first.commit();

            assertThat(raced.get(10, TimeUnit.SECONDS))
                    .isEqualTo(new Conflict<>(StepState.PENDING, StepState.ENQUEUED));
            second.commit();
        }
        assertThat(TaskRows.stepState(dataSource, step)).isEqualTo("enqueued");
        assertThat(TaskRows.stepHistory(dataSource, step)).containsExactly(new Transition("pending", "enqueued", null));
    }

    @Test
    void theStateChangeAndItsHistoryRowRollBackTogether() throws SQLException {
        UUID task = TaskRows.task(dataSource, "ns", TaskState.PENDING);
        UUID step = TaskRows.steps(dataSource, "ns", StepState.ENQUEUED, 1).getFirst();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(StateTransitions.transitionTask(c, task, TaskState.PENDING, TaskState.IN_PROGRESS, METADATA)
                    .applied()).isTrue();
            assertThat(StateTransitions.transitionStep(c, step, StepState.ENQUEUED, StepState.CANCELLED, METADATA)
                    .applied()).isTrue();
            assertThat(Jdbc.queryOne(c, "select count(*) from tasker_step_transitions", row -> row.getInt(1)))
                    .contains(1);
            c.rollback();
        }
        assertThat(stateAndCompletion("tasker_tasks", task)).isEqualTo("pending,false");
        assertThat(stateAndCompletion("tasker_steps", step)).isEqualTo("enqueued,false");
        assertThat(TaskRows.taskHistory(dataSource, task)).isEmpty();
        assertThat(TaskRows.stepHistory(dataSource, step)).isEmpty();
    }

    private String stateAndCompletion(String table, UUID id) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select state || ',' || (completed_at is not null) from " + table + " where id = ?",
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
