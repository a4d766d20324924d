package io.tasker.orchestration;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OrchestratorTest extends EveryServerTest {
    private static final String NS = "payments";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private Orchestrator orchestrator;

    @BeforeEach
    void startOrchestrator() {
        orchestrator = Orchestrator.manual(dataSource,
                OrchestratorOptions.DEFAULTS.withStaleTaskAge(Duration.ofMinutes(10)));
    }

    @AfterEach
    void closeOrchestrator() {
        orchestrator.close();
    }

    private UUID enqueuedStep() {
        return TaskRows.steps(dataSource, NS, StepState.ENQUEUED, 1).getFirst();
    }

    private void expireLease(UUID step) {
        TaskRows.arrange(dataSource, "update tasker_steps set lease_until = now() - interval '1 second' where id = ?",
                step);
    }

    @Test
    void dueRetriesBecomeClaimable() {
        UUID step = enqueuedStep();
        var claimed = StepQueue.claim(dataSource, "w1", List.of(NS), 1, LEASE).getFirst();
        new ResultRecorder(dataSource).record("w1", FinishedStep.of(claimed,
                new StepOutcome.Failure("flaky", "Flaky", true, Duration.ofHours(1), null)));
        assertThat(orchestrator.runOnce().retriesEnqueued()).as("not due yet").isZero();

        TaskRows.arrange(dataSource,
                "update tasker_steps set next_attempt_at = now() - interval '1 second' where id = ?", step);
        assertThat(orchestrator.runOnce().retriesEnqueued()).isEqualTo(1);
        assertThat(TaskRows.stepState(dataSource, step)).isEqualTo("enqueued");
    }

    @Test
    void expiredLeaseWithAttemptsLeftIsClaimableAgainWithTheAttemptCounted() {
        UUID step = enqueuedStep();
        StepQueue.claim(dataSource, "dead-worker", List.of(NS), 1, LEASE);
        assertThat(orchestrator.runOnce().leasesRecovered()).as("lease still valid").isZero();

        expireLease(step);
        assertThat(orchestrator.runOnce().leasesRecovered()).isEqualTo(1);
        var again = StepQueue.claim(dataSource, "w2", List.of(NS), 1, LEASE);
        assertThat(again).singleElement().satisfies(s -> assertThat(s.attempts()).isEqualTo(2));
    }

    @Test
    void expiredLeaseOnTheLastAttemptFailsTheStepAndFinalizesTheTask() {
        UUID step = enqueuedStep();
        TaskRows.arrange(dataSource, "update tasker_steps set max_attempts = 1 where id = ?", step);
        StepQueue.claim(dataSource, "dead-worker", List.of(NS), 1, LEASE);
        expireLease(step);

        assertThat(orchestrator.runOnce().leasesRecovered()).isEqualTo(1);
        assertThat(TaskRows.stepState(dataSource, step)).isEqualTo("error");
        UUID task = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select task_id from tasker_steps where id = ?", row -> Jdbc.uuid(row, "task_id"), step)).orElseThrow();
        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("error");
        String error = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select last_error::text from tasker_steps where id = ?", row -> row.getString(1), step)).orElseThrow();
        assertThat(Json.parse(error).get("message").asText()).contains("lease expired", "dead-worker");
    }

    @Test
    void stuckTasksGoToTheDeadLetterTableOnceWithAReason() {
        UUID stuck = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        TaskRows.steps(dataSource, stuck, NS, StepState.WAITING_FOR_RETRY, 2);
        UUID fresh = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID finished = TaskRows.task(dataSource, NS, TaskState.COMPLETE);
        UUID progressing = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID recentStep = TaskRows.steps(dataSource, progressing, NS, StepState.IN_PROGRESS, 1).getFirst();
        // Progress is the newest change of the task or any of its steps.
        TaskRows.arrange(dataSource, "update tasker_tasks set created_at = now() - interval '2 hours', "
                + "updated_at = now() - interval '2 hours' where id = any(?)",
                Jdbc.uuidArray(List.of(stuck, finished, progressing)));
        TaskRows.arrange(dataSource, "update tasker_steps set updated_at = now() - interval '2 hours' "
                + "where task_id = any(?) and id <> ?", Jdbc.uuidArray(List.of(stuck, progressing)), recentStep);

        assertThat(orchestrator.runOnce().tasksDeadLettered()).isEqualTo(1);
        assertThat(orchestrator.runOnce().tasksDeadLettered()).as("one open dead letter per task").isZero();

        record DeadLetter(UUID task, String reason, String state) {}
        List<DeadLetter> letters = Jdbc.withConnection(dataSource, c -> Jdbc.query(c,
                "select task_id, reason, task_state from tasker_dead_letters",
                row -> new DeadLetter(Jdbc.uuid(row, "task_id"), row.getString("reason"), row.getString("task_state"))));
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.task()).isEqualTo(stuck).isNotIn(fresh, progressing);
            assertThat(letter.reason()).isEqualTo("no progress for 10 min (task in_progress; steps: waiting_for_retry 2)");
            assertThat(letter.state()).isEqualTo("in_progress");
        });
    }
}
