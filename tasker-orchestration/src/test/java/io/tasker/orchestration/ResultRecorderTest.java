package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.testing.Notifications;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.StateChanges;
import io.tasker.core.testing.TaskRows;
import io.tasker.core.testing.TaskRows.Attempt;
import io.tasker.orchestration.internal.Backoff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResultRecorderTest extends EveryServerTest {
    private static final String NS = "orders";
    private static final String WORKER = "worker-1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private ResultRecorder recorder;

    @BeforeEach
    void createRecorder() {
        // no jitter: the delay is exactly half the exponential value plus nothing
        recorder = new ResultRecorder(dataSource, new Backoff(() -> 0.0), Clock.systemUTC());
    }

    /** a → b, a → c, b → d, c → d, with a enqueued. */
    private record Diamond(UUID task, UUID a, UUID b, UUID c, UUID d) {}

    private Diamond diamond() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID a = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();
        List<UUID> rest = TaskRows.steps(dataSource, task, NS, StepState.PENDING, 3);
        TaskRows.dependsOn(dataSource, rest.get(0), List.of(a));
        TaskRows.dependsOn(dataSource, rest.get(1), List.of(a));
        TaskRows.dependsOn(dataSource, rest.get(2), List.of(rest.get(0), rest.get(1)));
        return new Diamond(task, a, rest.get(0), rest.get(1), rest.get(2));
    }

    private ClaimedStep claim(UUID expected) {
        List<ClaimedStep> claimed = StepQueue.claim(dataSource, WORKER, List.of(NS), 1, LEASE);
        assertThat(claimed).extracting(ClaimedStep::stepId).containsExactly(expected);
        return claimed.getFirst();
    }

    private static FinishedStep success(ClaimedStep step, Object value) {
        return FinishedStep.of(step, new StepOutcome.Success(Json.MAPPER.valueToTree(value), null));
    }

    private static FinishedStep failure(ClaimedStep step, boolean retryable, Duration retryAfter) {
        return FinishedStep.of(step, new StepOutcome.Failure("gateway down", "GatewayError", retryable, retryAfter, null));
    }

    private RecordResult succeed(ClaimedStep step, Object value) {
        return recorder.record(WORKER, success(step, value));
    }

    private CycleResult cycle(List<FinishedStep> finished, int slots) {
        return recorder.cycle(WORKER, finished, new EagerClaim(WORKER, List.of(NS), slots, LEASE));
    }

    private String state(UUID step) {
        return TaskRows.stepState(dataSource, step);
    }

    @Test
    void successEnqueuesAChildOnlyWhenAllItsParentsAreComplete() {
        Diamond dag = diamond();
        RecordResult result = succeed(claim(dag.a()), 36);
        assertThat(result.recorded()).isTrue();
        assertThat(result.stepState()).isEqualTo(StepState.COMPLETE);
        assertThat(result.finishedTask()).isNull();
        assertThat(state(dag.b())).isEqualTo("enqueued");
        assertThat(state(dag.c())).isEqualTo("enqueued");
        assertThat(state(dag.d())).isEqualTo("pending");

        List<ClaimedStep> both = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);
        assertThat(both).extracting(ClaimedStep::stepId).containsExactlyInAnyOrder(dag.b(), dag.c());
        succeed(both.get(0), 1296);
        assertThat(state(dag.d())).isEqualTo("pending");
        assertThat(parentsPending(dag.d())).isEqualTo(1);
        succeed(both.get(1), 1296);
        assertThat(state(dag.d())).isEqualTo("enqueued");

        RecordResult last = succeed(claim(dag.d()), 1679616);
        assertThat(last.finishedTask()).isEqualTo(TaskState.COMPLETE);
        assertThat(TaskRows.taskState(dataSource, dag.task())).isEqualTo("complete");
        assertThat(TaskRows.taskHistory(dataSource, dag.task())).extracting(TaskRows.Transition::to)
                .containsExactly("complete");
        JsonNode stored = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select results::text from tasker_steps where id = ?", row -> Json.parse(row.getString(1)), dag.d()))
                .orElseThrow();
        assertThat(stored.bigIntegerValue()).isEqualTo(1679616);
        // Every step ran once: the history holds no attempt, each step row holds its one.
        assertThat(List.of(dag.a(), dag.b(), dag.c(), dag.d()))
                .allSatisfy(step -> assertThat(TaskRows.attempts(dataSource, step)).isEmpty());
    }

    @Test
    void theRecordingWorkerRunsAReadyChildAtOnceWithItsParentsResults() throws SQLException {
        Diamond dag = diamond();
        ClaimedStep a = claim(dag.a());
        CycleResult result;
        try (Notifications notifications = new Notifications(dataSource, List.of(NS))) {
            result = cycle(List.of(success(a, 36)), 1);
            // One child is claimed here; the other waits in the queue, and only it wakes workers.
            assertThat(notifications.drain()).containsExactly(NS);
        }
        assertThat(result.claimed()).hasSize(1);
        ClaimedStep child = result.claimed().getFirst();
        assertThat(child.stepId()).isIn(dag.b(), dag.c());
        assertThat(state(child.stepId())).isEqualTo("in_progress");
        assertThat(child.attempts()).isEqualTo(1);
        assertThat(Json.parse(child.dependencyResults())).isEqualTo(Json.parse("{\"step_" + dag.a() + "\": 36}"));
        UUID other = child.stepId().equals(dag.b()) ? dag.c() : dag.b();
        assertThat(state(other)).isEqualTo("enqueued");
        // The child went from pending to in_progress directly: no trip through the queue.
        assertThat(StateChanges.all(dataSource)).contains(
                new StateChanges.Change("tasker_steps", "pending", "in_progress"));

        try (Notifications notifications = new Notifications(dataSource, List.of(NS))) {
            CycleResult both = cycle(List.of(success(child, 1296)), 5);
            assertThat(both.claimed()).extracting(ClaimedStep::stepId).containsExactly(other);
            assertThat(notifications.drain()).as("nothing is left waiting").isEmpty();
        }
    }

    @Test
    void aFanOutWiderThanTheFreeSlotsClaimsWhatFitsAndQueuesTheRest() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID root = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();
        List<UUID> children = TaskRows.steps(dataSource, task, NS, StepState.PENDING, 5);
        children.forEach(child -> TaskRows.dependsOn(dataSource, child, List.of(root)));

        CycleResult result = cycle(List.of(success(claim(root), 1)), 2);

        assertThat(result.claimed()).hasSize(2);
        assertThat(children).filteredOn(id -> state(id).equals("in_progress")).hasSize(2);
        assertThat(children).filteredOn(id -> state(id).equals("enqueued")).hasSize(3);
        int unrun = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, """
                select count(*) from tasker_steps
                 where state = 'enqueued' and attempts = 0 and claimed_by is null and lease_until is null
                """, row -> row.getInt(1))).orElseThrow();
        assertThat(unrun).isEqualTo(3);
    }

    @Test
    void slotsLeftAfterTheChildrenTakeWaitingStepsOfOtherTasks() {
        Diamond first = diamond();
        Diamond second = diamond();
        RecordResult failed = cycle(List.of(failure(claim(first.a()), false, null)), 1).recorded().getFirst();
        assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
        assertThat(state(second.a())).isEqualTo("in_progress");
    }

    @Test
    void onlyTheClaimHolderAtThatAttemptCanRecord() {
        Diamond dag = diamond();
        ClaimedStep a = claim(dag.a());
        assertThat(recorder.record("someone-else", success(a, 1)).recorded()).isFalse();
        FinishedStep staleAttempt = new FinishedStep(a.stepId(), a.stepName(), a.taskId(), a.namespace(), a.taskName(),
                a.attempts() + 1, a.maxAttempts(), true, 0, 0, new StepOutcome.Success(Json.MAPPER.valueToTree(1), null));
        assertThat(recorder.record(WORKER, staleAttempt).recorded()).isFalse();
        assertThat(state(dag.a())).isEqualTo("in_progress");
        assertThat(state(dag.b())).isEqualTo("pending");

        assertThat(succeed(a, 1).recorded()).isTrue();
        assertThat(succeed(a, 1).recorded()).as("a second result for the same claim").isFalse();
    }

    @Test
    void aResultFromALostClaimIsNotRecordedOnceTheStepRunsElsewhere() {
        Diamond dag = diamond();
        ClaimedStep first = claim(dag.a());
        TaskRows.arrange(dataSource, "update tasker_steps set lease_until = now() - interval '1 second' where id = ?",
                dag.a());
        StepQueue.requeueExpiredLeases(dataSource, 10);
        ClaimedStep second = StepQueue.claim(dataSource, "worker-2", List.of(NS), 1, LEASE).getFirst();
        assertThat(second.attempts()).isEqualTo(2);

        assertThat(succeed(first, "late").recorded()).isFalse();
        assertThat(recorder.record("worker-2", success(second, "on time")).recorded()).isTrue();
        String stored = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select results::text from tasker_steps where id = ?", row -> row.getString(1), dag.a())).orElseThrow();
        assertThat(stored).isEqualTo("\"on time\"");
    }

    @Test
    void retryableFailureWaitsWithExponentialBackoffAndKeepsTheAttempt() {
        Diamond dag = diamond();
        RecordResult result = recorder.record(WORKER, failure(claim(dag.a()), true, null));
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
        assertThat(TaskRows.attempts(dataSource, dag.a()))
                .containsExactly(new Attempt(1, WORKER, "waiting_for_retry", null, true));
    }

    @Test
    void aHandlersRetryAfterIsCappedByTheStepsMaximumBackoff() {
        Diamond dag = diamond();
        recorder.record(WORKER, failure(claim(dag.a()), true, Duration.ofDays(365L * 300)));
        double secondsAway = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select extract(epoch from next_attempt_at - now()) from tasker_steps where id = ?",
                row -> row.getDouble(1), dag.a())).orElseThrow();
        // TaskRows' steps back off at most 60 s.
        assertThat(secondsAway).isBetween(59.0, 60.0);
        assertThat(lastError(dag.a()).get("retry_in_ms").asLong()).isEqualTo(60_000);
    }

    @Test
    void retryAfterZeroMakesTheStepClaimableAtOnce() {
        Diamond dag = diamond();
        RecordResult result = recorder.record(WORKER, failure(claim(dag.a()), true, Duration.ZERO));
        assertThat(result.stepState()).isEqualTo(StepState.ENQUEUED);
        assertThat(state(dag.a())).isEqualTo("enqueued");
        assertThat(claim(dag.a()).attempts()).isEqualTo(2);
        assertThat(TaskRows.attempts(dataSource, dag.a())).containsExactly(new Attempt(1, WORKER, "enqueued", "retry", true));
    }

    @Test
    void exhaustedAttemptsPutTheStepAndThenTheTaskInErrorWithItsFinishTime() {
        Diamond dag = diamond();
        for (int attempt = 1; attempt <= TaskRows.MAX_ATTEMPTS; attempt++) {
            ClaimedStep claimed = claim(dag.a());
            assertThat(claimed.attempts()).isEqualTo(attempt);
            RecordResult result = recorder.record(WORKER, failure(claimed, true, Duration.ZERO));
            StepState expected = attempt < TaskRows.MAX_ATTEMPTS ? StepState.ENQUEUED : StepState.ERROR;
            assertThat(result.stepState()).isEqualTo(expected);
        }
        assertThat(state(dag.a())).isEqualTo("error");
        assertThat(TaskRows.taskState(dataSource, dag.task())).isEqualTo("error");
        assertThat(TaskRows.taskHistory(dataSource, dag.task()).getLast().metadata())
                .isEqualTo(Json.parse("{\"reason\": \"steps_failed\", \"failed_steps\": 1}"));
        assertThat(finishedWhenItFailed(dag.task())).as("completed_at is the time it went to error").isTrue();
        assertThat(state(dag.d())).isEqualTo("pending");
        assertThat(TaskRows.attempts(dataSource, dag.a())).hasSize(TaskRows.MAX_ATTEMPTS - 1);
    }

    @Test
    void permanentFailureWaitsForStepsThatCanStillRun() {
        Diamond dag = diamond();
        succeed(claim(dag.a()), 1);
        List<ClaimedStep> children = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);
        ClaimedStep b = children.stream().filter(s -> s.stepId().equals(dag.b())).findFirst().orElseThrow();
        ClaimedStep c = children.stream().filter(s -> s.stepId().equals(dag.c())).findFirst().orElseThrow();

        RecordResult failed = recorder.record(WORKER, failure(b, false, null));
        assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
        assertThat(failed.finishedTask()).as("c is still running").isNull();
        assertThat(TaskRows.taskState(dataSource, dag.task())).isEqualTo("in_progress");

        RecordResult last = succeed(c, 1);
        assertThat(last.finishedTask()).isEqualTo(TaskState.ERROR);
        assertThat(state(dag.d())).as("blocked by the failed parent").isEqualTo("pending");
    }

    @Test
    void aStepThatIsNotRetryableFailsOnTheFirstRetryableError() {
        Diamond dag = diamond();
        TaskRows.arrange(dataSource, "update tasker_steps set retryable = false where id = ?", dag.a());
        RecordResult result = recorder.record(WORKER, failure(claim(dag.a()), true, null));
        assertThat(result.stepState()).isEqualTo(StepState.ERROR);
        assertThat(result.finishedTask()).isEqualTo(TaskState.ERROR);
    }

    @Test
    void finishedStepsOfSeveralTasksAreRecordedInOneCycleEachOnItsOwn() {
        Diamond first = diamond();
        Diamond second = diamond();
        Diamond third = diamond();
        List<ClaimedStep> roots = StepQueue.claim(dataSource, WORKER, List.of(NS), 3, LEASE);
        ClaimedStep lost = roots.get(2);
        TaskRows.arrange(dataSource, "update tasker_steps set claimed_by = 'another-worker' where id = ?", lost.stepId());

        CycleResult result = cycle(List.of(success(roots.get(0), 1), failure(roots.get(1), false, null),
                success(lost, 3)), 0);

        assertThat(result.recorded()).extracting(RecordResult::stepId)
                .containsExactly(roots.get(0).stepId(), roots.get(1).stepId(), lost.stepId());
        assertThat(result.recorded()).extracting(RecordResult::recorded).containsExactly(true, true, false);
        assertThat(result.recorded()).extracting(RecordResult::stepState)
                .containsExactly(StepState.COMPLETE, StepState.ERROR, null);
        assertThat(result.claimed()).isEmpty();
        assertThat(List.of(first, second, third)).extracting(d -> TaskRows.taskState(dataSource, d.task()))
                .containsExactlyInAnyOrder("in_progress", "error", "in_progress");
    }

    @Test
    void anOutcomeTheDatabaseCannotStoreFailsItsStepAloneAndTheOthersAreRecorded() {
        Diamond first = diamond();
        Diamond second = diamond();
        Diamond third = diamond();
        List<ClaimedStep> roots = StepQueue.claim(dataSource, WORKER, List.of(NS), 3, LEASE);
        // A result is checked before it is sent; a failure's own text is only refused by the
        // database, which fails the group, and then each step is recorded on its own.
        FinishedStep badResult = FinishedStep.of(roots.get(0), new StepOutcome.Success(
                Json.MAPPER.createObjectNode().put("text", "a NUL \u0000 inside"), null));
        FinishedStep badFailure = FinishedStep.of(roots.get(1), new StepOutcome.Failure(
                "a NUL \u0000 in the message", "Odd", false, null, null));

        CycleResult result = cycle(List.of(badResult, badFailure, success(roots.get(2), 2)), 3);

        assertThat(result.recorded()).extracting(RecordResult::stepState)
                .containsExactly(StepState.ERROR, StepState.ERROR, StepState.COMPLETE);
        assertThat(lastError(roots.get(0).stepId()).get("message").asText())
                .startsWith("the step's result cannot be stored: $.result.text: a string with the character U+0000");
        assertThat(lastError(roots.get(1).stepId()).get("message").asText())
                .startsWith("the step's outcome cannot be stored");
        assertThat(result.claimed()).as("the children of the stored step").hasSize(2);
        assertThat(List.of(first, second, third)).extracting(d -> TaskRows.taskState(dataSource, d.task()))
                .containsExactlyInAnyOrder("error", "error", "in_progress");
    }

    @Test
    void aResultOfAnyStorableSizeIsRecordedAndReadBackExactly() {
        Diamond dag = diamond();
        java.math.BigInteger big = java.math.BigInteger.TEN.pow(20_000).add(java.math.BigInteger.ONE);
        ClaimedStep child = cycle(List.of(success(claim(dag.a()), big)), 1).claimed().getFirst();
        assertThat(Json.parse(child.dependencyResults()).get("step_" + dag.a()).bigIntegerValue()).isEqualTo(big);
    }

    @Test
    void aResultTheDatabaseCannotStoreFailsItsStepSayingWhere() {
        Diamond dag = diamond();
        java.math.BigDecimal tooBig = new java.math.BigDecimal(java.math.BigInteger.ONE, -200_000);
        RecordResult result = recorder.record(WORKER, FinishedStep.of(claim(dag.a()), new StepOutcome.Success(
                Json.MAPPER.createObjectNode().put("ok", 1).put("huge", tooBig), null)));
        assertThat(result.stepState()).isEqualTo(StepState.ERROR);
        JsonNode error = lastError(dag.a());
        assertThat(error.get("error_type").asText()).isEqualTo("ResultNotStorable");
        assertThat(error.get("message").asText()).startsWith("the step's result cannot be stored: $.result.huge: "
                + "a number with 200001 digits before the decimal point");
        assertThat(error.get("retryable").asBoolean()).isFalse();
    }

    /**
     * Two parents of one child finish in overlapping transactions: the second waits for the first's
     * row lock on the child, then sees its decrement, so exactly one of them makes the child ready.
     */
    @Test
    void aFanInChildIsEnqueuedExactlyOnceWhenItsLastParentsFinishInOverlappingTransactions() throws Exception {
        Diamond dag = diamond();
        succeed(claim(dag.a()), 1);
        List<ClaimedStep> parents = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);

        race(() -> List.of(success(parents.get(0), 2)), () -> List.of(success(parents.get(1), 3)));

        assertThat(state(dag.d())).isEqualTo("enqueued");
        assertThat(parentsPending(dag.d())).isZero();
        assertThat(StateChanges.all(dataSource)).filteredOn(change -> "pending".equals(change.from()))
                .as("b, c and d each left pending once").hasSize(3);
        ClaimedStep d = claim(dag.d());
        assertThat(Json.parse(d.dependencyResults())).isEqualTo(Json.parse(
                "{\"step_" + dag.a() + "\": 1, \"step_" + dag.b() + "\": " + (parents.get(0).stepId().equals(dag.b())
                        ? 2 : 3) + ", \"step_" + dag.c() + "\": " + (parents.get(0).stepId().equals(dag.c()) ? 2 : 3)
                        + "}"));
    }

    /**
     * The last two running steps of a task (two leaves) finish in overlapping transactions: the
     * second counts the task's steps only after the first committed, so the task completes, once.
     */
    @Test
    void aTaskWhoseLastStepsFinishInOverlappingTransactionsCompletesExactlyOnce() throws Exception {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 2);
        List<ClaimedStep> leaves = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);

        race(() -> List.of(success(leaves.get(0), 1)), () -> List.of(success(leaves.get(1), 2)));

        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("complete");
        assertThat(TaskRows.taskHistory(dataSource, task)).extracting(TaskRows.Transition::to).containsExactly("complete");
    }

    /** The same with a failure: the task ends in error once nothing else can run. */
    @Test
    void aTaskWhoseLastStepsFailAndFinishInOverlappingTransactionsEndsInError() throws Exception {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 2);
        List<ClaimedStep> leaves = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);

        race(() -> List.of(failure(leaves.get(0), false, null)), () -> List.of(success(leaves.get(1), 2)));

        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("error");
        assertThat(TaskRows.taskHistory(dataSource, task)).extracting(TaskRows.Transition::to).containsExactly("error");
    }

    @Test
    void aParentThatLeavesItsChildWaitingChangesNoIndexedColumnOfIt() throws SQLException {
        Diamond dag = diamond();
        succeed(claim(dag.a()), 1);
        ClaimedStep b = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE).stream()
                .filter(s -> s.stepId().equals(dag.b())).findFirst().orElseThrow();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long before = hotUpdates(c);
            recorder.cycle(c, WORKER, List.of(success(b, 2)), EagerClaim.none(WORKER));
            // b's own update changes its state (indexed); d's counter is the one HOT update.
            long hot = hotUpdates(c) - before;
            c.commit();
            assertThat(hot).isEqualTo(1);
        }
        assertThat(parentsPending(dag.d())).isEqualTo(1);
    }

    @FunctionalInterface
    private interface Finished {
        List<FinishedStep> steps();
    }

    /**
     * Records {@code first} in a transaction held open, starts recording {@code second} in another,
     * waits until the second is blocked by the first's locks, then commits the first.
     */
    private void race(Finished first, Finished second) throws Exception {
        try (Connection holding = dataSource.getConnection(); Connection racing = dataSource.getConnection();
             ExecutorService executor = Executors.newSingleThreadExecutor()) {
            holding.setAutoCommit(false);
            int holder = pid(holding);
            int waiter = pid(racing);
            recorder.cycle(holding, WORKER, first.steps(), EagerClaim.none(WORKER));
            Future<CycleResult> raced = executor.submit(() ->
                    recorder.cycle(racing, WORKER, second.steps(), EagerClaim.none(WORKER)));
            await().atMost(10, TimeUnit.SECONDS).until(() -> isBlockedBy(waiter, holder));
            holding.commit();
            assertThat(raced.get(10, TimeUnit.SECONDS).recorded()).extracting(RecordResult::recorded).containsOnly(true);
        }
    }

    /** HOT updates of step rows this backend made and has not reported yet; a difference within one transaction is its own. */
    static long hotUpdates(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "select pg_stat_get_xact_tuples_hot_updated('tasker_steps'::regclass)",
                row -> row.getLong(1)).orElseThrow();
    }

    private static int pid(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "select pg_backend_pid()", row -> row.getInt(1)).orElseThrow();
    }

    private boolean isBlockedBy(int waiting, int holder) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select ? = any(pg_blocking_pids(?))", row -> row.getBoolean(1), holder, waiting)).orElseThrow();
    }

    private int parentsPending(UUID step) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select parents_pending from tasker_steps where id = ?", row -> row.getInt(1), step)).orElseThrow();
    }

    private JsonNode lastError(UUID step) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select last_error::text from tasker_steps where id = ?", row -> Json.parse(row.getString(1)), step))
                .orElseThrow();
    }

    private boolean finishedWhenItFailed(UUID task) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, """
                select t.completed_at = (select max(h.created_at) from tasker_task_transitions h
                                          where h.task_id = t.id and h.to_state = 'error')
                  from tasker_tasks t where t.id = ?
                """, row -> row.getBoolean(1), task)).orElseThrow();
    }
}
