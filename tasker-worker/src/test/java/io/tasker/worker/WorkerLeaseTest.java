package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.StepQueue;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/** The heartbeat keeps the leases of running steps, and notices when one is lost. */
class WorkerLeaseTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static String singleStep(String ns, String callable) {
        return fixture.register("""
                namespace: %s
                name: single
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - {name: only, handler: {callable: %s}}
                """, ns, callable).name();
    }

    private static Instant leaseUntil(UUID taskId) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select lease_until from tasker_steps where task_id = ?", row -> Jdbc.instant(row, "lease_until"),
                taskId)).orElseThrow();
    }

    @Test
    void theHeartbeatExtendsTheLeaseOfARunningStep() {
        String ns = newNamespace();
        String template = singleStep(ns, "test.Long");
        CountDownLatch release = new CountDownLatch(1);
        fixture.start(config(ns).lease(Duration.ofSeconds(5)).heartbeatInterval(Duration.ofMillis(100)),
                new StepHandlerRegistry().register("test.Long", () -> context -> {
                    release.await(30, TimeUnit.SECONDS);
                    return StepHandlerResult.success(null);
                }));
        UUID task = fixture.createTask(ns, template, "{}");
        eventually().until(() -> fixture.step(task, "only").state().equals("in_progress"));
        Instant firstLease = leaseUntil(task);

        eventually().until(() -> leaseUntil(task).isAfter(firstLease));

        release.countDown();
        fixture.awaitTaskState(task, "complete");
    }

    @Test
    void aStepWhoseClaimWasLostIsAbandonedAndItsSlotFreed() {
        String ns = newNamespace();
        String template = singleStep(ns, "test.Blocking");
        List<UUID> interrupted = new CopyOnWriteArrayList<>();
        List<UUID> started = new CopyOnWriteArrayList<>();
        fixture.start(config(ns).maxConcurrentSteps(1).heartbeatInterval(Duration.ofMillis(100)),
                new StepHandlerRegistry().register("test.Blocking", () -> context -> {
                    started.add(context.taskUuid());
                    if (started.size() == 1) {
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            interrupted.add(context.taskUuid());
                        }
                    }
                    return StepHandlerResult.success("done");
                }));
        UUID stolen = fixture.createTask(ns, template, "{}");
        UUID next = fixture.createTask(ns, template, "{}");
        eventually().until(() -> started.size() == 1);

        // As if the lease had expired and another worker had claimed the step.
        Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.update(c,
                "update tasker_steps set claimed_by = 'another-worker' where task_id = ?", stolen));

        eventually().untilAsserted(() -> assertThat(interrupted).containsExactly(stolen));
        fixture.awaitTaskState(next, "complete");
        WorkerFixture.StepRow step = fixture.step(stolen, "only");
        assertThat(step.state()).isEqualTo("in_progress");
        assertThat(step.claimedBy()).isEqualTo("another-worker");
    }

    /**
     * At least once: a worker that dies holding a step (no release, no heartbeat, no result) loses
     * it when its lease runs out, and another worker runs it, the lost attempt counted.
     */
    @Test
    void aStepWhoseWorkerDiedRunsAgainOnAnotherWhenItsLeaseRunsOut() {
        String ns = newNamespace();
        String template = singleStep(ns, "test.Survivor");
        UUID task = fixture.createTask(ns, template, "{}");
        // The dead worker: it claimed the step and was never heard of again.
        assertThat(StepQueue.claim(fixture.dataSource(), "dead-worker", List.of(ns), 1, Duration.ofMillis(300)))
                .hasSize(1);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        fixture.start(config(ns), new StepHandlerRegistry().register("test.Survivor", () -> context -> {
            attempts.add(context.attempt());
            return StepHandlerResult.success("survived");
        }));
        try (Orchestrator orchestrator = Orchestrator.manual(fixture.dataSource(), OrchestratorOptions.DEFAULTS)) {
            eventually().untilAsserted(() -> {
                orchestrator.runOnce();
                assertThat(fixture.taskState(task)).isEqualTo("complete");
            });
        }
        assertThat(attempts).containsExactly(2);
        WorkerFixture.StepRow step = fixture.step(task, "only");
        assertThat(step.attempts()).isEqualTo(2);
        assertThat(step.claimedBy()).isNotEqualTo("dead-worker");
        assertThat(step.results().asText()).isEqualTo("survived");
    }

    @Test
    void extendLeasesAnswersWithTheStepsTheWorkerStillHolds() {
        String ns = newNamespace();
        String template = singleStep(ns, "test.Unused");
        UUID mine = fixture.createTask(ns, template, "{}");
        UUID theirs = fixture.createTask(ns, template, "{}");
        UUID mineStep = StepQueue.claim(fixture.dataSource(), "me", List.of(ns), 1, Duration.ofSeconds(5))
                .getFirst().stepId();
        UUID theirStep = StepQueue.claim(fixture.dataSource(), "them", List.of(ns), 1, Duration.ofSeconds(5))
                .getFirst().stepId();
        Instant before = leaseUntil(mine);

        Set<UUID> held = StepQueue.extendLeases(fixture.dataSource(), List.of(mineStep, theirStep), "me",
                Duration.ofMinutes(10));

        assertThat(held).containsExactly(mineStep);
        assertThat(leaseUntil(mine)).isAfter(before);
        assertThat(leaseUntil(theirs)).isBefore(leaseUntil(mine));
        assertThat(StepQueue.extendLeases(fixture.dataSource(), List.of(), "me", Duration.ofMinutes(1))).isEmpty();
    }
}
