package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import io.tasker.worker.internal.WorkerCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results reach the database one transaction per cycle of the worker: the steps that finish while
 * a cycle is in flight are recorded together by the next one, and a step that finishes while the
 * worker is idle is recorded at once, alone, without waiting for a timer or for company.
 */
class GroupCommitTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static final String ONE_STEP = """
            namespace: %s
            name: one
            version: 1.0.0
            identity_strategy: always_unique
            steps:
              - name: only
                handler: {callable: test.Gate}
            """;

    @Test
    void aLoneResultIsRecordedAtOnceInACycleOfItsOwn() {
        String ns = newNamespace();
        fixture.register(ONE_STEP, ns);
        // Polling once an hour: nothing but the result itself can wake the worker to record it.
        WorkerSystemHandle worker = fixture.start(config(ns).pollInterval(Duration.ofHours(1))
                        .deploymentMode(DeploymentMode.EVENT_DRIVEN),
                new StepHandlerRegistry().register("test.Gate", () -> context -> StepHandlerResult.success(1)));
        // Its first cycle looks for work, finds none, and the worker sleeps.
        eventually().until(() -> counters(worker).cycles() == 1);
        long cyclesBefore = counters(worker).cycles();

        UUID task = fixture.createTask(ns, "one", "{}");

        fixture.awaitTaskState(task, "complete");
        WorkerCore.Counters after = counters(worker);
        assertThat(after.recorded()).isEqualTo(1);
        // One cycle claimed the step (woken by the notification), one recorded it.
        assertThat(after.cycles() - cyclesBefore).isEqualTo(2);
    }

    @Test
    void resultsThatFinishWhileACycleIsInFlightAreRecordedTogetherInTheNext() throws Exception {
        String ns = newNamespace();
        fixture.register(ONE_STEP, ns);
        Map<UUID, CountDownLatch> gates = new ConcurrentHashMap<>();
        WorkerSystemHandle worker = fixture.start(config(ns).maxConcurrentSteps(4), new StepHandlerRegistry()
                .register("test.Gate", () -> context -> {
                    if (!gates.computeIfAbsent(context.taskUuid(), id -> new CountDownLatch(1))
                            .await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never let through");
                    }
                    return StepHandlerResult.success(1);
                }));
        List<UUID> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(fixture.createTask(ns, "one", "{}"));
        }
        eventually().until(() -> fixture.countSteps(ns, "in_progress") == 4);

        try (Connection blocker = fixture.dataSource().getConnection()) {
            // Hold the first task's row: the cycle that records its step (its last) waits for it.
            blocker.setAutoCommit(false);
            Jdbc.query(blocker, "select id from tasker_tasks where id = ? for update", row -> 1, tasks.getFirst());
            long cyclesBefore = counters(worker).cycles();
            gate(gates, tasks.getFirst()).countDown();
            eventually().until(() -> waitingForLock(blocker));
            // The other three finish while that cycle is in flight.
            tasks.subList(1, 4).forEach(task -> gate(gates, task).countDown());
            eventually().until(() -> worker.eventSystem().counters().completed() == 4);
            blocker.commit();

            tasks.forEach(task -> fixture.awaitTaskState(task, "complete"));
            WorkerCore.Counters after = counters(worker);
            assertThat(after.recorded()).isEqualTo(4);
            assertThat(after.cycles() - cyclesBefore).as("one cycle for the first, one for the three together")
                    .isEqualTo(2);
        }
    }

    private static CountDownLatch gate(Map<UUID, CountDownLatch> gates, UUID task) {
        return gates.computeIfAbsent(task, id -> new CountDownLatch(1));
    }

    private static WorkerCore.Counters counters(WorkerSystemHandle worker) {
        return worker.core().counters();
    }

    /** Whether some session waits for a lock the blocker holds. */
    private static boolean waitingForLock(Connection blocker) throws Exception {
        int pid = Jdbc.queryOne(blocker, "select pg_backend_pid()", row -> row.getInt(1)).orElseThrow();
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select count(*) > 0 from pg_stat_activity where ? = any(pg_blocking_pids(pid))",
                row -> row.getBoolean(1), pid)).orElseThrow();
    }
}
