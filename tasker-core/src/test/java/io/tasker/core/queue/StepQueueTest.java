package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.Notifications;
import io.tasker.core.testing.TaskRows;
import io.tasker.core.testing.TaskRows.Attempt;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepQueueTest extends EveryServerTest {
    private static final Duration LEASE = Duration.ofMinutes(10);

    @Test
    void aClaimHandsOverEverythingTheHandlerNeeds() {
        UUID task = TaskRows.task(dataSource, "alpha", TaskState.IN_PROGRESS);
        TaskRows.arrange(dataSource, "update tasker_tasks set context = ?::jsonb where id = ?",
                "{\"order\": 12345678901234567890123, \"items\": [1, 2]}", task);
        List<UUID> done = TaskRows.steps(dataSource, task, "alpha", StepState.COMPLETE, 2);
        UUID skipped = TaskRows.steps(dataSource, task, "alpha", StepState.COMPLETE, 1).getFirst();
        UUID next = TaskRows.steps(dataSource, task, "alpha", StepState.PENDING, 1).getFirst();
        TaskRows.dependsOn(dataSource, next, done);
        TaskRows.arrange(dataSource, "update tasker_steps set results = jsonb_build_object('value', position) "
                + "where task_id = ? and state = 'complete'", task);
        TaskRows.arrange(dataSource, "update tasker_steps set state = 'enqueued', enqueued_at = now() where id = ?",
                next);

        ClaimedStep claimed = StepQueue.claim(dataSource, "w1", List.of("alpha"), 5, LEASE).getFirst();

        assertThat(claimed.stepId()).isEqualTo(next);
        assertThat(claimed.taskId()).isEqualTo(task);
        assertThat(claimed.stepName()).isEqualTo("step_" + next);
        assertThat(claimed.handlerCallable()).isEqualTo(TaskRows.HANDLER);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.maxAttempts()).isEqualTo(TaskRows.MAX_ATTEMPTS);
        assertThat(claimed.retryable()).isTrue();
        assertThat(List.of(claimed.backoffBaseMs(), claimed.maxBackoffMs())).containsExactly(1000L, 60000L);
        assertThat(claimed.taskName()).isEqualTo("template_" + task);
        assertThat(claimed.taskVersion()).isEqualTo("1.0.0");
        assertThat(claimed.templateId()).isNotNull();
        // Exact numbers, and only the ancestors' results (not the sibling that completed too).
        assertThat(Json.parse(claimed.context())).isEqualTo(
                Json.parse("{\"order\": 12345678901234567890123, \"items\": [1, 2]}"));
        assertThat(Json.parse(claimed.dependencyResults())).isEqualTo(Json.parse(
                "{\"step_" + done.get(0) + "\": {\"value\": 1}, \"step_" + done.get(1) + "\": {\"value\": 2}}"));
        assertThat(claimed.dependencyResults()).doesNotContain(skipped.toString());
        assertThat(leaseUntilIsBeyond(next, "now() + interval '9 minutes'")).isTrue();
        assertThat(claimed.leaseUntil()).isEqualTo(column(next, "lease_until", Jdbc::instant));
        assertThat((String) column(next, "claimed_by", (r, c) -> r.getString(c))).isEqualTo("w1");
    }

    @Test
    void claimWithCallablesTakesOnlyStepsWhoseHandlerTheWorkerHas() {
        List<UUID> java = TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 3);
        List<UUID> ruby = TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 2);
        TaskRows.arrange(dataSource, "update tasker_steps set handler_callable = 'Ruby::Handler' where id = any(?)",
                Jdbc.uuidArray(ruby));

        List<ClaimedStep> rubyWorker = StepQueue.claim(dataSource, "ruby", List.of("alpha"), List.of("Ruby::Handler"), 10, LEASE);
        List<ClaimedStep> nothingKnown = StepQueue.claim(dataSource, "none", List.of("alpha"), List.of(), 10, LEASE);
        List<ClaimedStep> javaWorker = StepQueue.claim(dataSource, "java", List.of("alpha"), List.of(TaskRows.HANDLER), 10, LEASE);

        assertThat(rubyWorker).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(ruby);
        assertThat(nothingKnown).isEmpty();
        assertThat(javaWorker).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(java);
    }

    @Test
    void claimTakesTheHighestPriorityFirstAndOnlyFromTheGivenNamespaces() {
        List<UUID> alpha = TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 5);
        List<UUID> beta = TaskRows.steps(dataSource, "beta", StepState.ENQUEUED, 3);
        List<UUID> gamma = TaskRows.steps(dataSource, "gamma", StepState.ENQUEUED, 2);
        // Step i was enqueued i seconds after 2020-01-01, with priority[i]; gamma outranks everything.
        List<UUID> all = concat(alpha, beta, gamma);
        int[] priority = {0, 5, 0, 1, 5, 1, 0, 7, 9, 9};
        for (int i = 0; i < all.size(); i++) {
            TaskRows.arrange(dataSource, """
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
        assertThat(first.getFirst().namespace()).isEqualTo("beta");
    }

    @Test
    void aClaimForNothingDoesNotTouchTheDatabase() throws SQLException {
        Connection closed = dataSource.getConnection();
        closed.close();
        assertThat(StepQueue.claim(closed, "w1", List.of("alpha"), null, 0, LEASE)).isEmpty();
        assertThat(StepQueue.claim(closed, "w1", List.of(), null, 10, LEASE)).isEmpty();
        assertThat(StepQueue.claim(closed, "w1", List.of("alpha"), List.of(), 10, LEASE)).isEmpty();
        assertThat(StepQueue.extendLeases(closed, List.of(), "w1", LEASE)).isEmpty();
        assertThat(StepQueue.requeueExpiredLeases(dataSource, 0)).isEmpty();
        assertThat(StepQueue.enqueueDueRetries(dataSource, 0)).isZero();
        assertThatThrownBy(() -> StepQueue.claim(closed, "w1", List.of("alpha"), null, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease must be positive");
    }

    @Test
    void onlyTheHolderExtendsOrReleasesAClaim() throws SQLException {
        TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 1);
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
        // The attempt given back is in the history, not counted; the one under way is on the row.
        assertThat(TaskRows.attempts(dataSource, id)).containsExactly(new Attempt(1, "w1", "enqueued", "released", true));
    }

    @Test
    void aHeartbeatExtendsOnlyTheLeasesItsWorkerHoldsAsHotUpdates() throws SQLException {
        List<UUID> steps = TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 3);
        List<UUID> held = StepQueue.claim(dataSource, "w1", List.of("alpha"), 2, LEASE).stream()
                .map(ClaimedStep::stepId).toList();
        UUID notHeld = steps.stream().filter(id -> !held.contains(id)).findFirst().orElseThrow();

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // The backend's unreported counts: their difference within one transaction is that transaction's.
            String hotUpdates = "select pg_stat_get_xact_tuples_hot_updated('tasker_steps'::regclass)";
            long before = Jdbc.queryOne(c, hotUpdates, row -> row.getLong(1)).orElseThrow();
            Set<UUID> stillHeld = StepQueue.extendLeases(c, steps, "w1", Duration.ofHours(2));
            // The lease is in no index, so the new row versions stay on their pages, indexes untouched.
            long hot = Jdbc.queryOne(c, hotUpdates, row -> row.getLong(1)).orElseThrow() - before;
            c.commit();
            assertThat(stillHeld).containsExactlyInAnyOrderElementsOf(held);
            assertThat(hot).isEqualTo(2);
        }
        assertThat(held).allSatisfy(id -> assertThat(leaseUntilIsBeyond(id, "now() + interval '1 hour'")).isTrue());
        assertThat(StepQueue.extendLeases(dataSource, List.of(notHeld), "w1", LEASE)).isEmpty();
    }

    @Test
    void expiredLeasesBecomeClaimableAgainInBoundedBatches() throws SQLException {
        TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 6);
        List<UUID> claimed = StepQueue.claim(dataSource, "w1", List.of("alpha"), 6, LEASE).stream()
                .map(ClaimedStep::stepId).toList();
        List<UUID> expired = claimed.subList(0, 5);
        TaskRows.arrange(dataSource, "update tasker_steps set lease_until = now() - interval '1 second' where id = any(?)",
                Jdbc.uuidArray(expired));

        try (Notifications notifications = new Notifications(dataSource, List.of("alpha"))) {
            List<ExpiredLease> first = StepQueue.requeueExpiredLeases(dataSource, 3);
            List<ExpiredLease> second = StepQueue.requeueExpiredLeases(dataSource, 3);
            assertThat(first).hasSize(3);
            assertThat(second).hasSize(2);
            assertThat(StepQueue.requeueExpiredLeases(dataSource, 3)).isEmpty();
            assertThat(Stream.concat(first.stream(), second.stream())).extracting(ExpiredLease::stepId)
                    .containsExactlyInAnyOrderElementsOf(expired);
            assertThat(first).allSatisfy(lease -> {
                assertThat(lease.claimedBy()).isEqualTo("w1");
                assertThat(lease.attempt()).isEqualTo(1);
                assertThat(lease.namespace()).isEqualTo("alpha");
                assertThat(lease.stepName()).isNotBlank();
                assertThat(lease.taskName()).isNotBlank();
            });
            assertThat(notifications.drain()).containsExactly("alpha", "alpha");
        }

        assertThat(StepQueue.extendLease(dataSource, expired.getFirst(), "w1", LEASE)).isFalse();
        List<ClaimedStep> reclaimed = StepQueue.claim(dataSource, "w2", List.of("alpha"), 10, LEASE);
        assertThat(reclaimed).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(expired);
        // The lost attempt counts: the worker may have died halfway through the handler.
        assertThat(reclaimed).extracting(ClaimedStep::attempts).containsOnly(2);
        assertThat(TaskRows.stepState(dataSource, claimed.getLast())).isEqualTo("in_progress");
        assertThat(TaskRows.attempts(dataSource, expired.getFirst()))
                .containsExactly(new Attempt(1, "w1", "enqueued", "lease_expired", true));
    }

    @Test
    void aLeaseWithNoAttemptsLeftIsLeftForOrchestration() {
        UUID step = TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, 1).getFirst();
        TaskRows.arrange(dataSource, "update tasker_steps set attempts = max_attempts - 1 where id = ?", step);
        StepQueue.claim(dataSource, "w1", List.of("alpha"), 1, LEASE);
        TaskRows.arrange(dataSource, "update tasker_steps set lease_until = now() - interval '1 second' where id = ?",
                step);

        assertThat(StepQueue.requeueExpiredLeases(dataSource, 10)).isEmpty();
        assertThat(TaskRows.stepState(dataSource, step)).isEqualTo("in_progress");
    }

    @Test
    void dueRetriesBecomeClaimable() throws SQLException {
        List<UUID> due = TaskRows.steps(dataSource, "alpha", StepState.WAITING_FOR_RETRY, 3);
        List<UUID> later = TaskRows.steps(dataSource, "alpha", StepState.WAITING_FOR_RETRY, 1);
        TaskRows.arrange(dataSource, "update tasker_steps set attempts = 1, next_attempt_at = now() - interval '1 second' "
                + "where id = any(?)", Jdbc.uuidArray(due));
        TaskRows.arrange(dataSource, "update tasker_steps set attempts = 1, next_attempt_at = now() + interval '1 hour' "
                + "where id = any(?)", Jdbc.uuidArray(later));

        try (Notifications notifications = new Notifications(dataSource, List.of("alpha"))) {
            assertThat(StepQueue.enqueueDueRetries(dataSource, 2)).isEqualTo(2);
            assertThat(StepQueue.enqueueDueRetries(dataSource, 2)).isEqualTo(1);
            assertThat(StepQueue.enqueueDueRetries(dataSource, 2)).isZero();
            assertThat(notifications.drain()).containsExactly("alpha", "alpha");
        }
        assertThat(count("state = 'enqueued' and enqueued_at is not null and next_attempt_at is null")).isEqualTo(3);

        List<ClaimedStep> claimed = StepQueue.claim(dataSource, "w1", List.of("alpha"), 10, LEASE);
        assertThat(claimed).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(due);
        assertThat(claimed).extracting(ClaimedStep::attempts).containsOnly(2);
        assertThat(TaskRows.stepState(dataSource, later.getFirst())).isEqualTo("waiting_for_retry");
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

    @FunctionalInterface
    private interface Column<T> {
        T read(java.sql.ResultSet row, String column) throws SQLException;
    }

    private <T> T column(UUID stepId, String column, Column<T> read) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select " + column + " from tasker_steps where id = ?", r -> read.read(r, column), stepId)).orElseThrow();
    }

    @SafeVarargs
    private static List<UUID> concat(List<UUID>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
