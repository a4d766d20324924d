package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A handler that succeeded while its result could not be written keeps its result: the worker
 * holds it, keeps the step's lease, and records it once the database takes it again. The outage
 * costs no attempt and the handler does not run again.
 */
class RecordingOutageTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    @Test
    void aResultThatCannotBeWrittenYetIsRecordedLaterWithoutAnotherAttempt() {
        String ns = newNamespace();
        String template = fixture.register("""
                namespace: %s
                name: single
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - {name: only, handler: {callable: test.Once}}
                """, ns).name();
        // Until the trigger goes, no step of this namespace can be completed: as if the database
        // were down for every recording, while heartbeats still reach it.
        sql("""
                create function refuse_completion() returns trigger language plpgsql as $$
                begin raise exception 'the database is away'; end $$;
                create trigger refuse_completion before update of state on tasker_steps for each row
                    when (new.state = 'complete' and new.namespace = '%s')
                    execute function refuse_completion();
                """.formatted(ns));
        AtomicInteger runs = new AtomicInteger();
        WorkerSystemHandle worker = fixture.start(config(ns).lease(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofMillis(500)), new StepHandlerRegistry()
                .register("test.Once", () -> context -> {
                    runs.incrementAndGet();
                    return StepHandlerResult.success("done");
                }));

        UUID task = fixture.createTask(ns, template, "{}");
        eventually().until(() -> runs.get() == 1);
        // Longer than the lease: the heartbeat keeps it while the result waits, so the lease
        // sweeper finds nothing to take back.
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> fixture.step(task, "only").state().equals("in_progress"));
        try (Orchestrator orchestrator = Orchestrator.manual(fixture.dataSource(), OrchestratorOptions.DEFAULTS)) {
            assertThat(orchestrator.runOnce().leasesRecovered()).isZero();
        }
        sql("drop trigger refuse_completion on tasker_steps; drop function refuse_completion();");

        fixture.awaitTaskState(task, "complete");
        WorkerFixture.StepRow step = fixture.step(task, "only");
        assertThat(step.attempts()).isEqualTo(1);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(worker.core().counters().recorded()).isEqualTo(1);
    }

    private static void sql(String statements) {
        Jdbc.withConnection(fixture.dataSource(), c -> {
            try (var statement = c.createStatement()) {
                return statement.execute(statements);
            }
        });
    }
}
