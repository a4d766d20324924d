package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import io.tasker.orchestration.internal.Backoff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ResultRecorderTest extends EveryServerTest {
    private static final String NS = "orders";
    private static final String WORKER = "worker-1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private ResultRecorder recorder;

    @BeforeEach
    void createRecorder() {
        // no jitter: the delay is exactly half the exponential value plus nothing
        recorder = new ResultRecorder(dataSource, new Backoff(() -> 0.0));
    }

    /** a → b, c → d, with a enqueued. */
    private record Diamond(UUID task, UUID a, UUID b, UUID c, UUID d) {}

    private Diamond diamond() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        List<UUID> s = TaskRows.steps(dataSource, task, NS, StepState.PENDING, 4);
        Jdbc.inTransaction(dataSource, c -> {
            for (UUID[] edge : new UUID[][] {{s.get(0), s.get(1)}, {s.get(0), s.get(2)}, {s.get(1), s.get(3)}, {s.get(2), s.get(3)}}) {
                Jdbc.update(c, "insert into tasker_step_edges (task_id, from_step_id, to_step_id) values (?, ?, ?)",
                        task, edge[0], edge[1]);
            }
            return StepQueue.enqueue(c, List.of(s.get(0)));
        });
        return new Diamond(task, s.get(0), s.get(1), s.get(2), s.get(3));
    }

    private ClaimedStep claim(UUID expected) {
        List<ClaimedStep> claimed = StepQueue.claim(dataSource, WORKER, List.of(NS), 1, LEASE);
        assertThat(claimed).extracting(ClaimedStep::stepId).containsExactly(expected);
        return claimed.getFirst();
    }

    private RecordResult succeed(UUID step, Object value) {
        return recorder.record(step, WORKER, new StepOutcome.Success(Json.MAPPER.valueToTree(value), null),
                EagerClaim.none(WORKER));
    }

    private static StepOutcome.Failure failure(boolean retryable, Duration retryAfter) {
        return new StepOutcome.Failure("gateway down", "GatewayError", retryable, retryAfter, null);
    }

    private String state(UUID step) {
        return TaskRows.stepState(dataSource, step);
    }

    @Test
    void successEnqueuesAChildOnlyWhenAllItsParentsAreComplete() {
        Diamond dag = diamond();
        claim(dag.a());
        RecordResult result = succeed(dag.a(), 36);
        assertThat(result.recorded()).isTrue();
        assertThat(result.stepState()).isEqualTo(StepState.COMPLETE);
        assertThat(result.taskState()).isEqualTo(TaskState.IN_PROGRESS);
        assertThat(state(dag.b())).isEqualTo("enqueued");
        assertThat(state(dag.c())).isEqualTo("enqueued");
        assertThat(state(dag.d())).isEqualTo("pending");

        List<ClaimedStep> both = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);
        assertThat(both).extracting(ClaimedStep::stepId).containsExactlyInAnyOrder(dag.b(), dag.c());
        succeed(dag.b(), 1296);
        assertThat(state(dag.d())).isEqualTo("pending");
        succeed(dag.c(), 1296);
        assertThat(state(dag.d())).isEqualTo("enqueued");

        claim(dag.d());
        RecordResult last = succeed(dag.d(), 1679616);
        assertThat(last.taskState()).isEqualTo(TaskState.COMPLETE);
        assertThat(TaskRows.taskState(dataSource, dag.task())).isEqualTo("complete");
        assertThat(TaskRows.taskHistory(dataSource, dag.task()).getLast().to()).isEqualTo("complete");
        JsonNode stored = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select results::text from tasker_steps where id = ?", row -> Json.parse(row.getString(1)), dag.d()))
                .orElseThrow();
        assertThat(stored.bigIntegerValue()).isEqualTo(1679616);
    }

    @Test
    void onlyTheClaimHolderCanRecord() {
        Diamond dag = diamond();
        claim(dag.a());
        RecordResult result = recorder.record(dag.a(), "someone-else",
                new StepOutcome.Success(Json.MAPPER.valueToTree(1), null), EagerClaim.none("someone-else"));
        assertThat(result.recorded()).isFalse();
        assertThat(state(dag.a())).isEqualTo("in_progress");
        assertThat(state(dag.b())).isEqualTo("pending");

        assertThat(succeed(dag.a(), 1).recorded()).isTrue();
        assertThat(succeed(dag.a(), 1).recorded()).as("a second result for the same claim").isFalse();
    }

    @Test
    void retryableFailureWaitsWithExponentialBackoff() {
        Diamond dag = diamond();
        claim(dag.a());
        RecordResult result = recorder.record(dag.a(), WORKER, failure(true, null), EagerClaim.none(WORKER));
        assertThat(result.stepState()).isEqualTo(StepState.WAITING_FOR_RETRY);
        JsonNode error = lastError(dag.a());
        assertThat(error.get("message").asText()).isEqualTo("gateway down");
        assertThat(error.get("error_type").asText()).isEqualTo("GatewayError");
        assertThat(error.get("attempt").asInt()).isEqualTo(1);
        // base 1000 ms, attempt 1, no jitter: half of 1000 ms
        assertThat(error.get("retry_in_ms").asLong()).isEqualTo(500);
        double secondsAway = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select extract(epoch from next_attempt_at - now()) from tasker_steps where id = ?",
                row -> row.getDouble(1), dag.a())).orElseThrow();
        assertThat(secondsAway).isBetween(0.0, 0.5);
        assertThat(TaskRows.taskState(dataSource, dag.task())).isEqualTo("in_progress");
    }

    @Test
    void retryAfterZeroMakesTheStepClaimableAtOnce() {
        Diamond dag = diamond();
        claim(dag.a());
        recorder.record(dag.a(), WORKER, failure(true, Duration.ZERO), EagerClaim.none(WORKER));
        assertThat(state(dag.a())).isEqualTo("enqueued");
        ClaimedStep again = claim(dag.a());
        assertThat(again.attempts()).isEqualTo(2);
    }

    @Test
    void exhaustedAttemptsPutTheStepAndThenTheTaskInError() {
        Diamond dag = diamond();
        for (int attempt = 1; attempt <= TaskRows.MAX_ATTEMPTS; attempt++) {
            ClaimedStep claimed = claim(dag.a());
            assertThat(claimed.attempts()).isEqualTo(attempt);
            RecordResult result = recorder.record(dag.a(), WORKER, failure(true, Duration.ZERO), EagerClaim.none(WORKER));
            StepState expected = attempt < TaskRows.MAX_ATTEMPTS ? StepState.WAITING_FOR_RETRY : StepState.ERROR;
            assertThat(result.stepState()).isEqualTo(expected);
        }
        assertThat(state(dag.a())).isEqualTo("error");
        assertThat(TaskRows.taskState(dataSource, dag.task())).isEqualTo("error");
        assertThat(state(dag.d())).isEqualTo("pending");
    }

    @Test
    void permanentFailureWaitsForStepsThatCanStillRun() {
        Diamond dag = diamond();
        claim(dag.a());
        succeed(dag.a(), 1);
        StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);

        RecordResult failed = recorder.record(dag.b(), WORKER, failure(false, null), EagerClaim.none(WORKER));
        assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
        assertThat(failed.taskState()).as("c is still running").isEqualTo(TaskState.IN_PROGRESS);

        RecordResult last = succeed(dag.c(), 1);
        assertThat(last.taskState()).isEqualTo(TaskState.ERROR);
        assertThat(state(dag.d())).as("blocked by the failed parent").isEqualTo("pending");
    }

    @Test
    void aStepThatIsNotRetryableFailsOnTheFirstRetryableError() {
        Diamond dag = diamond();
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c,
                "update tasker_steps set retryable = false where id = ?", dag.a()));
        claim(dag.a());
        RecordResult result = recorder.record(dag.a(), WORKER, failure(true, null), EagerClaim.none(WORKER));
        assertThat(result.stepState()).isEqualTo(StepState.ERROR);
        assertThat(result.taskState()).isEqualTo(TaskState.ERROR);
    }

    @Test
    void eagerClaimHandsTheNewlyReadyChildToTheRecordingWorker() {
        Diamond dag = diamond();
        claim(dag.a());
        RecordResult result = recorder.record(dag.a(), WORKER,
                new StepOutcome.Success(Json.MAPPER.valueToTree(1), null), new EagerClaim(WORKER, List.of(NS), 1, LEASE));
        assertThat(result.eagerlyClaimed()).hasSize(1);
        ClaimedStep child = result.eagerlyClaimed().getFirst();
        assertThat(child.stepId()).isIn(dag.b(), dag.c());
        assertThat(state(child.stepId())).isEqualTo("in_progress");
        assertThat(child.attempts()).isEqualTo(1);
    }

    @Test
    void eagerClaimAlsoTakesWaitingStepsOfOtherTasks() {
        Diamond first = diamond();
        Diamond second = diamond();
        claim(first.a());
        RecordResult failed = recorder.record(first.a(), WORKER, failure(false, null), new EagerClaim(WORKER, List.of(NS), 1, LEASE));
        assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
        assertThat(failed.eagerlyClaimed()).extracting(ClaimedStep::stepId).containsExactly(second.a());
    }

    private JsonNode lastError(UUID step) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select last_error::text from tasker_steps where id = ?", row -> Json.parse(row.getString(1)), step))
                .orElseThrow();
    }
}
