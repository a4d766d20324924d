package io.tasker.worker;

import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poll interval's bounds: an idle worker that may ({@code maxPollInterval} above
 * {@code pollInterval}) waits twice as long after each claim that finds nothing, and still claims
 * what nothing announces; by default it polls at one pace, as before.
 */
class IdlePollingTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration IDLE = Duration.ofMillis(1500);

    @Test
    void anIdleWorkerPollsLessUpToItsMaximumAndStillClaimsWhatNothingAnnounced() throws InterruptedException {
        String steady = newNamespace();
        String backingOff = newNamespace();
        for (String ns : new String[] {steady, backingOff}) {
            fixture.register("""
                    namespace: %s
                    name: one
                    version: 1.0.0
                    steps:
                      - {name: only, handler: {callable: test.Echo}}
                    """, ns);
        }
        StepHandlerRegistry handlers = new StepHandlerRegistry()
                .register("test.Echo", () -> context -> StepHandlerResult.success(context.stepName()));
        // Polling only: no notification wakes either, so every claim is a poll.
        WorkerSystemHandle atOnePace = fixture.start(config(steady).deploymentMode(DeploymentMode.POLLING)
                .pollInterval(POLL), handlers);
        WorkerSystemHandle slowingDown = fixture.start(config(backingOff).deploymentMode(DeploymentMode.POLLING)
                .pollInterval(POLL).maxPollInterval(Duration.ofMillis(640)), handlers);
        assertThat(atOnePace.config().maxPollInterval()).isEqualTo(POLL);

        Thread.sleep(IDLE.toMillis());
        long steadyPolls = atOnePace.core().counters().cycles();
        long backingOffPolls = slowingDown.core().counters().cycles();

        // A poll at the start, then after waits of 40, 80, ... 640 ms: 6 polls by 1.24 s, at most 2 more in the
        // rest. At one pace it is one per 20 ms and the claim's own time: about 70 here, many more even when busy.
        assertThat(backingOffPolls).isBetween(3L, 9L);
        assertThat(steadyPolls).isGreaterThan(2 * backingOffPolls);
        UUID task = fixture.createTask(backingOff, "one", "{}");
        fixture.awaitTaskState(task, "complete");
    }
}
