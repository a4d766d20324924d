package io.tasker.core.queue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.state.StepState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import io.tasker.core.testing.TaskRows.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class StepQueueTest extends EveryServerTest {
    private static final Duration LEASE = Duration.ofMinutes(10);

    @AfterEach
    void everyRecordedTransitionIsAllowedByTheStateMachine() {
        assertThat(TaskRows.allStepHistory(dataSource)).allSatisfy(t -> assertThat(
                StepState.fromDb(t.from()).canTransitionTo(StepState.fromDb(t.to()))).as("%s", t).isTrue());
    }

    @Test
    void enqueueMakesStepsClaimableWithOneNotificationPerNamespacePerTransaction() throws SQLException {
        List<UUID> alphaPending = TaskRows.steps(dataSource, "alpha", StepState.PENDING, 300);
        List<UUID> alphaRetrying = TaskRows.steps(dataSource, "alpha", StepState.WAITING_FOR_RETRY, 50);
        List<UUID> alphaComplete = TaskRows.steps(dataSource, "alpha", StepState.COMPLETE, 5);
        List<UUID> beta = TaskRows.steps(dataSource, "beta", StepState.PENDING, 200);
        update("update tasker_steps set next_attempt_at = now() + interval '1 hour' where id = any(?)",
                Jdbc.uuidArray(alphaRetrying));

        try (Notifications notifications = new Notifications(dataSource, List.of("alpha", "beta", "gamma"))) {
            List<Integer> enqueued = Jdbc.inTransaction(dataSource, c -> List.of(
                    StepQueue.enqueue(c, concat(alphaPending.subList(0, 150), alphaRetrying, alphaComplete)),
                    StepQueue.enqueue(c, concat(alphaPending.subList(150, 300), beta))));
            assertThat(enqueued).containsExactly(200, 350);
            assertThat(notifications.drain()).containsExactlyInAnyOrder("alpha", "beta");

            // Already enqueued: nothing changes, nobody is woken.
            int again = Jdbc.inTransaction(dataSource, c -> StepQueue.enqueue(c, concat(alphaPending, beta)));
            assertThat(again).isZero();
            assertThat(notifications.drain()).isEmpty();
        }

        assertThat(count("state = 'enqueued' and enqueued_at is not null and next_attempt_at is null")).isEqualTo(550);
        assertThat(count("state = 'complete'")).isEqualTo(5);
        assertThat(TaskRows.stepHistory(dataSource, alphaRetrying.getFirst()))
                .containsExactly(new Transition("waiting_for_retry", "enqueued", null));
        assertThat(TaskRows.stepHistory(dataSource, beta.getLast()))
                .containsExactly(new Transition("pending", "enqueued", null));
    }

    @Test
    void aRolledBackEnqueueLeavesNoTraceAndWakesNobody() throws SQLException {
        List<UUID> steps = TaskRows.steps(dataSource, "alpha", StepState.PENDING, 10);
        try (Notifications notifications = new Notifications(dataSource, List.of("alpha"));
             Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(StepQueue.enqueue(c, steps)).isEqualTo(10);
            c.rollback();
            c.setAutoCommit(true);
            assertThat(notifications.drain()).isEmpty();
        }
        assertThat(count("state = 'pending'")).isEqualTo(10);
        assertThat(TaskRows.allStepHistory(dataSource)).isEmpty();
    }

    @Test
    void claimWithCallablesTakesOnlyStepsWhoseHandlerTheWorkerHas() throws SQLException {
        List<UUID> java = TaskRows.steps(dataSource, "alpha", StepState.PENDING, 3);
        List<UUID> ruby = TaskRows.steps(dataSource, "alpha", StepState.PENDING, 2);
        update("update tasker_steps set handler_callable = 'Ruby::Handler' where id = any(?)", Jdbc.uuidArray(ruby));
        enqueue(concat(java, ruby));

        List<ClaimedStep> rubyWorker = StepQueue.claim(dataSource, "ruby", List.of("alpha"), List.of("Ruby::Handler"), 10, LEASE);
        List<ClaimedStep> nothingKnown = StepQueue.claim(dataSource, "none", List.of("alpha"), List.of(), 10, LEASE);
        List<ClaimedStep> javaWorker = StepQueue.claim(dataSource, "java", List.of("alpha"), List.of(TaskRows.HANDLER), 10, LEASE);

        assertThat(rubyWorker).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(ruby);
        assertThat(nothingKnown).isEmpty();
        assertThat(javaWorker).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(java);
    }

    @Test
    void claimTakesTheHighestPriorityFirstAndOnlyFromTheGivenNamespaces() throws SQLException {
        List<UUID> alpha = TaskRows.steps(dataSource, "alpha", StepState.PENDING, 5);
        List<UUID> beta = TaskRows.steps(dataSource, "beta", StepState.PENDING, 3);
        List<UUID> gamma = TaskRows.steps(dataSource, "gamma", StepState.PENDING, 2);
        enqueue(concat(alpha, beta, gamma));
        // Step i was enqueued i seconds after 2020-01-01, with priority[i]; gamma outranks everything.
        List<UUID> all = concat(alpha, beta, gamma);
        int[] priority = {0, 5, 0, 1, 5, 1, 0, 7, 9, 9};
        for (int i = 0; i < all.size(); i++) {
            update("""
                    update tasker_steps set priority = ?, enqueued_at = timestamptz '2020-01-01' + make_interval(secs => ?)
                     where id = ?""", priority[i], i, all.get(i));
        }
        List<UUID> expectedOrder = IntStream.range(0, 8).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> -priority[i]).thenComparing(i -> i))
                .map(all::get).toList();

        List<ClaimedStep> first = StepQueue.claim(dataSource, "w1", List.of("alpha", "beta"), 4, LEASE);
        List<ClaimedStep> second = StepQueue.claim(dataSource, "w1", List.of("alpha", "beta"), 10, LEASE);
        List<ClaimedStep> third = StepQueue.claim(dataSource, "w1", List.of("alpha", "beta"), 10, LEASE);

        assertThat(first).extracting(ClaimedStep::stepId).containsExactlyElementsOf(expectedOrder.subList(0, 4));
        assertThat(second).extracting(ClaimedStep::stepId).containsExactlyElementsOf(expectedOrder.subList(4, 8));
        assertThat(third).isEmpty();
        assertThat(gamma).allSatisfy(id -> assertThat(TaskRows.stepState(dataSource, id)).isEqualTo("enqueued"));

        ClaimedStep claimed = first.getFirst();
        Map<String, Object> row = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, """
                select task_id, lease_until, lease_until > now() and lease_until <= now() + interval '10 minutes' as fresh
                  from tasker_steps where id = ? and state = 'in_progress' and claimed_by = 'w1'
                """, r -> Map.<String, Object>of("task", Jdbc.uuid(r, "task_id"),
                "lease", Jdbc.instant(r, "lease_until"), "fresh", r.getBoolean("fresh")), claimed.stepId())).orElseThrow();
        assertThat(claimed.stepId()).isEqualTo(beta.getLast());
        assertThat(claimed).isEqualTo(new ClaimedStep(claimed.stepId(), (UUID) row.get("task"), "beta",
                "step_" + claimed.stepId(), TaskRows.HANDLER, 1, TaskRows.MAX_ATTEMPTS, claimed.leaseUntil()));
        assertThat(claimed.leaseUntil()).isEqualTo(row.get("lease"));
        assertThat(row.get("fresh")).isEqualTo(true);
        assertThat(TaskRows.stepHistory(dataSource, claimed.stepId())).containsExactly(
                new Transition("pending", "enqueued", null),
                new Transition("enqueued", "in_progress", object("claimed_by", "w1")));
    }

    @Test
    void aClaimForNothingDoesNotTouchTheDatabase() throws SQLException {
        Connection closed = dataSource.getConnection();
        closed.close();
        assertThat(StepQueue.claim(closed, "w1", List.of("alpha"), 0, LEASE)).isEmpty();
        assertThat(StepQueue.claim(closed, "w1", List.of(), 10, LEASE)).isEmpty();
        assertThat(StepQueue.requeueExpiredLeases(closed, 0)).isZero();
        assertThat(StepQueue.enqueueDueRetries(closed, 0)).isZero();
        assertThat(StepQueue.enqueue(closed, List.of())).isZero();
        assertThatThrownBy(() -> StepQueue.claim(closed, "w1", List.of("alpha"), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
    }

    @Test
    void onlyTheHolderExtendsOrReleasesAClaim() throws SQLException {
        enqueue(TaskRows.steps(dataSource, "alpha", StepState.PENDING, 1));
        ClaimedStep claimed = StepQueue.claim(dataSource, "w1", List.of("alpha"), 1, Duration.ofSeconds(30)).getFirst();
        UUID id = claimed.stepId();

        assertThat(StepQueue.extendLease(dataSource, id, "w2", Duration.ofHours(1))).isFalse();
        assertThat(StepQueue.release(dataSource, id, "w2")).isFalse();
        assertThat(leaseUntilIsBeyond(id, "now() + interval '1 minute'")).isFalse();

        assertThat(StepQueue.extendLease(dataSource, id, "w1", Duration.ofHours(1))).isTrue();
        assertThat(leaseUntilIsBeyond(id, "now() + interval '1 minute'")).isTrue();

        try (Notifications notifications = new Notifications(dataSource, List.of("alpha"))) {
            assertThat(StepQueue.release(dataSource, id, "w1")).isTrue();
            assertThat(notifications.drain()).containsExactly("alpha");
        }
        assertThat(count("state = 'enqueued' and attempts = 0 and claimed_by is null and lease_until is null"))
                .isEqualTo(1);
        assertThat(StepQueue.extendLease(dataSource, id, "w1", LEASE)).isFalse();
        assertThat(StepQueue.release(dataSource, id, "w1")).isFalse();

        ClaimedStep again = StepQueue.claim(dataSource, "w2", List.of("alpha"), 1, LEASE).getFirst();
        assertThat(again.stepId()).isEqualTo(id);
        assertThat(again.attempts()).isEqualTo(1);
        assertThat(TaskRows.stepHistory(dataSource, id)).extracting(Transition::to, t -> t.metadata() == null
                        ? null : t.metadata().path("reason").asText(null))
                .containsExactly(tuple("enqueued", null), tuple("in_progress", null),
                        tuple("enqueued", "released"), tuple("in_progress", null));
    }

    @Test
    void expiredLeasesBecomeClaimableAgainInBoundedBatches() throws SQLException {
        List<UUID> steps = TaskRows.steps(dataSource, "alpha", StepState.PENDING, 6);
        enqueue(steps);
        List<UUID> claimed = StepQueue.claim(dataSource, "w1", List.of("alpha"), 6, LEASE).stream()
                .map(ClaimedStep::stepId).toList();
        List<UUID> expired = claimed.subList(0, 5);
        update("update tasker_steps set lease_until = now() - interval '1 second' where id = any(?)",
                Jdbc.uuidArray(expired));

        try (Notifications notifications = new Notifications(dataSource, List.of("alpha"))) {
            assertThat(StepQueue.requeueExpiredLeases(dataSource, 3)).isEqualTo(3);
            assertThat(StepQueue.requeueExpiredLeases(dataSource, 3)).isEqualTo(2);
            assertThat(StepQueue.requeueExpiredLeases(dataSource, 3)).isZero();
            assertThat(notifications.drain()).containsExactly("alpha", "alpha");
        }

        assertThat(StepQueue.extendLease(dataSource, expired.getFirst(), "w1", LEASE)).isFalse();
        List<ClaimedStep> reclaimed = StepQueue.claim(dataSource, "w2", List.of("alpha"), 10, LEASE);
        assertThat(reclaimed).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(expired);
        assertThat(reclaimed).extracting(ClaimedStep::attempts).containsOnly(2);
        assertThat(TaskRows.stepState(dataSource, claimed.getLast())).isEqualTo("in_progress");
        assertThat(TaskRows.stepHistory(dataSource, expired.getFirst()).get(2)).isEqualTo(new Transition(
                "in_progress", "enqueued", object("reason", "lease_expired").put("claimed_by", "w1")));
    }

    @Test
    void dueRetriesBecomeClaimable() throws SQLException {
        List<UUID> due = TaskRows.steps(dataSource, "alpha", StepState.WAITING_FOR_RETRY, 3);
        List<UUID> later = TaskRows.steps(dataSource, "alpha", StepState.WAITING_FOR_RETRY, 1);
        update("update tasker_steps set attempts = 1, next_attempt_at = now() - interval '1 second' where id = any(?)",
                Jdbc.uuidArray(due));
        update("update tasker_steps set attempts = 1, next_attempt_at = now() + interval '1 hour' where id = any(?)",
                Jdbc.uuidArray(later));

        try (Notifications notifications = new Notifications(dataSource, List.of("alpha"))) {
            assertThat(StepQueue.enqueueDueRetries(dataSource, 2)).isEqualTo(2);
            assertThat(StepQueue.enqueueDueRetries(dataSource, 2)).isEqualTo(1);
            assertThat(StepQueue.enqueueDueRetries(dataSource, 2)).isZero();
            assertThat(notifications.drain()).containsExactly("alpha", "alpha");
        }

        List<ClaimedStep> claimed = StepQueue.claim(dataSource, "w1", List.of("alpha"), 10, LEASE);
        assertThat(claimed).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(due);
        assertThat(claimed).extracting(ClaimedStep::attempts).containsOnly(2);
        assertThat(TaskRows.stepState(dataSource, later.getFirst())).isEqualTo("waiting_for_retry");
        assertThat(TaskRows.stepHistory(dataSource, due.getFirst()).getFirst())
                .isEqualTo(new Transition("waiting_for_retry", "enqueued", object("reason", "retry_due")));
    }

    private void enqueue(Collection<UUID> steps) {
        Jdbc.inTransaction(dataSource, c -> StepQueue.enqueue(c, steps));
    }

    private void update(String sql, Object... params) {
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c, sql, params));
    }

    private int count(String where) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select count(*) from tasker_steps where " + where, r -> r.getInt(1))).orElseThrow();
    }

    private boolean leaseUntilIsBeyond(UUID stepId, String sqlTime) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select lease_until > " + sqlTime + " from tasker_steps where id = ?", r -> r.getBoolean(1), stepId))
                .orElseThrow();
    }

    private static ObjectNode object(String key, String value) {
        return JsonNodeFactory.instance.objectNode().put(key, value);
    }

    @SafeVarargs
    private static List<UUID> concat(List<UUID>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
