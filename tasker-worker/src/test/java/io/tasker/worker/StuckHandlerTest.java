package io.tasker.worker;

import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that ignores cancellation keeps its thread, and so its slot: the worker never hands
 * a step to a thread that is busy, so no step fails because of a neighbour. A thread still busy
 * after the cancel grace is counted as stuck and replaced, at most once per slot.
 */
class StuckHandlerTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    /** Lets the stubborn handlers of a test return at last. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseStubbornHandlers() {
        release.countDown();
    }

    /** Runs until the test releases it, swallowing every interrupt on the way. */
    private StepHandler stubborn() {
        return context -> {
            while (true) {
                try {
                    if (release.await(50, TimeUnit.MILLISECONDS)) {
                        return StepHandlerResult.success("finally");
                    }
                } catch (InterruptedException ignored) {
                    // The handler ignores its cancellation, which is the point.
                }
            }
        };
    }

    private static String templates(String ns) {
        return """
                namespace: %1$s
                name: stubborn
                version: 1.0.0
                steps:
                  - name: stubborn
                    handler: {callable: test.Stubborn}
                    timeout_seconds: 1
                    retry: {max_attempts: 1}
                ---
                namespace: %1$s
                name: quick
                version: 1.0.0
                steps:
                  - name: quick
                    handler: {callable: test.Quick}
                    timeout_seconds: 1
                    retry: {max_attempts: 1}
                """.formatted(ns);
    }

    private WorkerSystemHandle startWorker(String ns, Duration cancelGrace) {
        for (String template : templates(ns).split("---\n")) {
            fixture.register(template);
        }
        return fixture.start(config(ns).maxConcurrentSteps(1).cancelGrace(cancelGrace), new StepHandlerRegistry()
                .register("test.Stubborn", this::stubborn)
                .register("test.Quick", () -> context -> StepHandlerResult.success("quick")));
    }

    @Test
    void theNextStepWaitsForTheBusyThreadInsteadOfTimingOutBeforeItsHandlerStarts() {
        String ns = newNamespace();
        WorkerSystemHandle worker = startWorker(ns, Duration.ofMinutes(5));
        UUID stubbornTask = fixture.createTask(ns, "stubborn", "{}");
        fixture.awaitTaskState(stubbornTask, "error");

        UUID quickTask = fixture.createTask(ns, "quick", "{}");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            WorkerFixture.StepRow quick = fixture.step(quickTask, "quick");
            assertThat(quick.state()).isIn("pending", "enqueued");
            assertThat(quick.attempts()).isZero();
        });
        assertThat(worker.eventSystem().pendingEvents()).as("the busy thread still counts as a busy slot").isOne();
        release.countDown();
        fixture.awaitTaskState(quickTask, "complete");
        assertThat(fixture.step(quickTask, "quick").attempts()).isOne();
        assertThat(fixture.step(stubbornTask, "stubborn").lastError().get("message").asText())
                .isEqualTo("step timed out after 1 s");
        assertThat(worker.stuckHandlers()).isZero();
    }

    @Test
    void aThreadStillBusyAfterTheCancelGraceIsReportedAndReplacedSoOtherStepsRun() {
        String ns = newNamespace();
        WorkerSystemHandle worker = startWorker(ns, Duration.ofMillis(500));
        UUID stubbornTask = fixture.createTask(ns, "stubborn", "{}");
        fixture.awaitTaskState(stubbornTask, "error");
        eventually().untilAsserted(() -> assertThat(worker.stuckHandlers()).isOne());

        UUID quickTask = fixture.createTask(ns, "quick", "{}");

        fixture.awaitTaskState(quickTask, "complete");
        assertThat(fixture.step(quickTask, "quick").attempts()).isOne();
        assertThat(worker.stuckHandlers()).as("still stuck while it runs").isOne();
        release.countDown();
        eventually().untilAsserted(() -> assertThat(worker.stuckHandlers()).isZero());
        assertThat(worker.eventSystem().pendingEvents()).isZero();
    }

    @Test
    void atMostOneThreadPerSlotIsReplacedAfterWhichAStuckThreadKeepsItsSlot() {
        String ns = newNamespace();
        WorkerSystemHandle worker = startWorker(ns, Duration.ofMillis(500));
        UUID first = fixture.createTask(ns, "stubborn", "{\"n\": 1}");
        eventually().untilAsserted(() -> assertThat(worker.stuckHandlers()).isOne());
        UUID second = fixture.createTask(ns, "stubborn", "{\"n\": 2}");
        fixture.awaitTaskState(second, "error");
        eventually().untilAsserted(() -> assertThat(worker.stuckHandlers()).isEqualTo(2));

        UUID quickTask = fixture.createTask(ns, "quick", "{}");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(fixture.step(quickTask, "quick").attempts()).isZero());
        release.countDown();
        fixture.awaitTaskState(quickTask, "complete");
        assertThat(fixture.taskState(first)).isEqualTo("error");
        eventually().untilAsserted(() -> assertThat(worker.stuckHandlers()).isZero());
    }
}
