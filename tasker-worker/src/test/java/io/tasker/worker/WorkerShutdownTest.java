package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/** Stopping a worker: steps in flight finish or are given back, and nothing new is taken. */
class WorkerShutdownTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static String pairTemplate(String ns) {
        return fixture.register("""
                namespace: %s
                name: pair
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - {name: first, handler: {callable: test.Held}}
                  - {name: second, handler: {callable: test.Held}, depends_on: [first]}
                """, ns).name();
    }

    @Test
    void aGracefulShutdownLetsTheRunningStepFinishAndClaimsNothingNew() {
        String ns = newNamespace();
        String template = pairTemplate(ns);
        CountDownLatch release = new CountDownLatch(1);
        List<String> started = new CopyOnWriteArrayList<>();
        WorkerSystemHandle worker = fixture.start(config(ns), new StepHandlerRegistry().register("test.Held",
                () -> context -> {
                    started.add(context.stepName());
                    release.await(30, TimeUnit.SECONDS);
                    return StepHandlerResult.success(context.stepName());
                }));
        UUID running = fixture.createTask(ns, template, "{}");
        eventually().until(() -> started.size() == 1);

        worker.transitionToGracefulShutdown();
        UUID waiting = fixture.createTask(ns, template, "{}");
        assertThat(worker.status().workerCoreStatus()).isEqualTo("graceful_shutdown");
        assertThat(worker.isRunning()).isTrue();
        release.countDown();

        eventually().until(() -> fixture.step(running, "first").state().equals("complete"));
        // The recording transaction made "second" claimable but did not claim it for a stopping worker.
        assertThat(fixture.step(running, "second").state()).isEqualTo("enqueued");
        assertThat(fixture.step(waiting, "first").state()).isEqualTo("enqueued");
        worker.stop();
        assertThat(started).containsExactly("first");
        assertThat(worker.isRunning()).isFalse();
        assertThat(worker.status().workerCoreStatus()).isEqualTo("stopped");
    }

    @Test
    void stopReleasesTheClaimsOfStepsThatDidNotFinishInTime() {
        String ns = newNamespace();
        String template = pairTemplate(ns);
        CountDownLatch never = new CountDownLatch(1);
        List<String> interrupted = new CopyOnWriteArrayList<>();
        WorkerSystemHandle worker = fixture.start(config(ns).shutdownTimeout(Duration.ofMillis(200)),
                new StepHandlerRegistry().register("test.Held", () -> context -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupted.add(context.stepName());
                    }
                    return StepHandlerResult.success("ignored");
                }));
        UUID task = fixture.createTask(ns, template, "{}");
        eventually().until(() -> fixture.step(task, "first").state().equals("in_progress"));

        worker.stop();

        WorkerFixture.StepRow first = fixture.step(task, "first");
        assertThat(first.state()).isEqualTo("enqueued");
        assertThat(first.attempts()).isZero();
        assertThat(first.claimedBy()).isNull();
        eventually().untilAsserted(() -> assertThat(interrupted).containsExactly("first"));
        String reason = Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c, """
                select reason from tasker_step_attempts
                 where task_id = ? and outcome = 'enqueued' order by ended_at desc limit 1
                """, row -> row.getString(1), task)).orElseThrow();
        assertThat(reason).isEqualTo("released");
        assertThat(worker.eventSystem().counters().withdrawn()).isEqualTo(1);
        assertThat(worker.isRunning()).isFalse();
        // The worker leaves the database to its owner.
        assertThat(fixture.taskState(task)).isEqualTo("in_progress");
    }

    @Test
    void aClaimIsReleasedOnlyOnceItsHandlerReturnedSoTheStepNeverRunsTwiceAtOnce() {
        String ns = newNamespace();
        String template = pairTemplate(ns);
        CountDownLatch never = new CountDownLatch(1);
        List<String> stateWhenReturning = new CopyOnWriteArrayList<>();
        WorkerSystemHandle worker = fixture.start(config(ns).shutdownTimeout(Duration.ofMillis(200)),
                new StepHandlerRegistry().register("test.Held", () -> context -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        // Slow to stop: a moment of cleanup after the cancellation.
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        stateWhenReturning.add(fixture.step(context.taskUuid(), "first").state());
                    }
                    return StepHandlerResult.success("ignored");
                }));
        UUID task = fixture.createTask(ns, template, "{}");
        eventually().until(() -> fixture.step(task, "first").state().equals("in_progress"));

        worker.stop();

        assertThat(stateWhenReturning).as("still this worker's while its handler ran").containsExactly("in_progress");
        assertThat(fixture.step(task, "first").state()).isEqualTo("enqueued");
        assertThat(fixture.step(task, "first").attempts()).isZero();
    }

    @Test
    void aHandlerThatDoesNotStopKeepsItsClaimWhichExpiresWithItsLease() {
        String ns = newNamespace();
        String template = pairTemplate(ns);
        CountDownLatch release = new CountDownLatch(1);
        WorkerSystemHandle worker = fixture.start(config(ns).shutdownTimeout(Duration.ofMillis(200))
                        .cancelGrace(Duration.ofMillis(300)),
                new StepHandlerRegistry().register("test.Held", () -> context -> {
                    while (true) {
                        try {
                            if (release.await(50, TimeUnit.MILLISECONDS)) {
                                return StepHandlerResult.success("ignored");
                            }
                        } catch (InterruptedException ignored) {
                            // does not stop
                        }
                    }
                }));
        UUID task = fixture.createTask(ns, template, "{}");
        eventually().until(() -> fixture.step(task, "first").state().equals("in_progress"));
        try {
            worker.stop();

            WorkerFixture.StepRow first = fixture.step(task, "first");
            assertThat(first.state()).isEqualTo("in_progress");
            assertThat(first.claimedBy()).isEqualTo(worker.workerId());
        } finally {
            release.countDown();
        }
    }
}
