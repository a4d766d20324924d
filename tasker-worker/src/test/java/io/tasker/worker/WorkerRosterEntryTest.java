package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.WorkerRoster;
import io.tasker.core.queue.WorkerRoster.LiveWorker;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/** A worker lists itself among the live workers with what it runs while it runs, and only then. */
class WorkerRosterEntryTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static StepHandlerRegistry handlers(String... callables) {
        StepHandlerRegistry registry = new StepHandlerRegistry();
        for (String callable : callables) {
            registry.register(callable, () -> context -> StepHandlerResult.success(null));
        }
        return registry;
    }

    private static Optional<LiveWorker> live(WorkerSystemHandle worker) {
        return WorkerRoster.live(fixture.dataSource()).stream()
                .filter(entry -> entry.workerId().equals(worker.workerId())).findFirst();
    }

    @Test
    void aStartedWorkerIsListedWithItsNamespacesAndEveryCallableItsHandlerLayersRun() {
        String ns = newNamespace();
        StepExecutionSubscriber otherLayer = new StepExecutionSubscriber() {
            @Override
            public boolean accepts(String callable) {
                return callable.equals("Greetings::SayHello");
            }

            @Override
            public void onStepExecution(StepExecutionEvent event) {}

            @Override
            public Collection<String> callables() {
                return List.of("Greetings::SayHello");
            }
        };

        WorkerSystemHandle worker = fixture.start(config(ns), handlers("test.Java"), otherLayer);

        assertThat(worker.callables()).containsExactly("Greetings::SayHello", "test.Java");
        LiveWorker entry = live(worker).orElseThrow();
        assertThat(entry.namespaces()).containsExactly(ns);
        assertThat(entry.callables()).containsExactlyInAnyOrder("test.Java", "Greetings::SayHello");
        assertThat(entry.lease()).isEqualTo(worker.config().lease());
    }

    @Test
    void aWorkerWithAHandlerLayerThatCannotListItsCallablesIsListedAsRunningEveryOne() {
        String ns = newNamespace();
        StepExecutionSubscriber unlisted = new StepExecutionSubscriber() {
            @Override
            public boolean accepts(String callable) {
                return true;
            }

            @Override
            public void onStepExecution(StepExecutionEvent event) {}
        };

        WorkerSystemHandle worker = fixture.start(config(ns), handlers("test.Java"), unlisted);

        assertThat(worker.callables()).isNull();
        assertThat(live(worker).orElseThrow().runs(ns, "Any::Callable")).isTrue();
    }

    @Test
    void theHeartbeatRenewsTheEntry() {
        String ns = newNamespace();
        WorkerSystemHandle worker = fixture.start(config(ns).lease(Duration.ofSeconds(3)), handlers("test.Java"));
        Instant first = live(worker).orElseThrow().lastHeartbeat();

        eventually().untilAsserted(() -> assertThat(live(worker).orElseThrow().lastHeartbeat()).isAfter(first));
        Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.update(c,
                "delete from tasker_workers where worker_id = ?", worker.workerId()));
        eventually().until(() -> live(worker).isPresent());
    }

    @Test
    void aWorkerThatStopsCleanlyIsNoLongerListed() {
        String ns = newNamespace();
        WorkerSystemHandle worker = fixture.start(config(ns).lease(Duration.ofSeconds(3)), handlers("test.Java"));
        assertThat(live(worker)).isPresent();

        worker.stop();

        assertThat(rowOf(worker)).isEmpty();
        // No heartbeat still under way writes it back.
        Duration heartbeat = worker.config().heartbeatInterval();
        eventually().during(heartbeat.multipliedBy(2)).atMost(heartbeat.multipliedBy(4))
                .until(() -> rowOf(worker).isEmpty());
    }

    @Test
    void aWorkerShuttingDownGracefullyIsNoLongerListedThoughItsStepsMayStillRun() {
        String ns = newNamespace();
        WorkerSystemHandle worker = fixture.start(config(ns), handlers("test.Java"));

        worker.transitionToGracefulShutdown();

        assertThat(worker.isRunning()).isTrue();
        assertThat(rowOf(worker)).isEmpty();
        worker.stop();
    }

    private static Optional<String> rowOf(WorkerSystemHandle worker) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select worker_id from tasker_workers where worker_id = ?", row -> row.getString(1),
                worker.workerId()));
    }
}
