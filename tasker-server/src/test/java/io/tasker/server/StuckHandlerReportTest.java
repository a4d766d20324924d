package io.tasker.server;

import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerSystemHandle;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler thread that does not stop after its step was cancelled is reported where an operator
 * looks: {@code /health} says {@code degraded} (still 200) and names the worker, and
 * {@code tasker_worker_handlers_stuck} counts it, until the thread returns.
 */
class StuckHandlerReportTest {
    private static final String TEMPLATE = """
            namespace: stuck_report
            name: stubborn
            version: 1.0.0
            steps:
              - name: stubborn
                handler: {callable: test.Stubborn}
                timeout_seconds: 1
                retry: {max_attempts: 1}
            """;

    @Test
    void healthSaysDegradedAndTheMetricCountsTheStuckThreadUntilItReturns() {
        CountDownLatch release = new CountDownLatch(1);
        try (RunningTasker tasker = RunningTasker.start()) {
            Http http = new Http(tasker.url());
            new TemplateRegistry(tasker.database().dataSource())
                    .register(TemplateLoader.parse(TEMPLATE, "test").orThrow(), "test");
            StepHandlerRegistry handlers = new StepHandlerRegistry().register("test.Stubborn", () -> context -> {
                while (true) {
                    try {
                        if (release.await(50, TimeUnit.MILLISECONDS)) {
                            return StepHandlerResult.success("finally");
                        }
                    } catch (InterruptedException ignored) {
                        // ignores its cancellation
                    }
                }
            });
            WorkerSystemHandle worker = WorkerBootstrap.bootstrap(WorkerConfig.builder().namespaces("stuck_report")
                    .cancelGrace(Duration.ofMillis(300)).build(), tasker.node().database(), handlers);
            try {
                new Tasks(http).create("stuck_report", "stubborn", "{}");

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    Http.Response health = http.get("/health");
                    assertThat(health.status()).isEqualTo(200);
                    assertThat(health.json().get("status").asText()).isEqualTo("degraded");
                    assertThat(health.json().get("problems").get(0).asText()).isEqualTo("worker " + worker.workerId()
                            + ": 1 handler thread did not stop after its step was cancelled (see its log)");
                });
                assertThat(http.get("/metrics").body())
                        .contains("tasker_worker_handlers_stuck{worker_id=\"" + worker.workerId() + "\"} 1.0");

                release.countDown();

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(http.get("/health").body()).isEqualTo("{\"status\":\"ok\"}"));
                assertThat(http.get("/metrics").body())
                        .contains("tasker_worker_handlers_stuck{worker_id=\"" + worker.workerId() + "\"} 0.0");
            } finally {
                release.countDown();
                worker.stop();
            }
        }
    }
}
