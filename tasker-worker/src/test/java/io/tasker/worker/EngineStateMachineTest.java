package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.StateChanges;
import io.tasker.core.testing.StateChanges.Change;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskRequest;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tasker.worker.WorkerFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole engine, every way it changes a state, against the one state machine: task creation
 * (roots enqueued, and claimed by a worker of this process), claims, eager claims of ready
 * children, results, retries at once and after a backoff, permanent failures, the retry poller,
 * the lease sweeper (a lease with attempts left, and one without), and claims released on stop.
 * Every state the database was written in is logged by a trigger ({@link StateChanges}); the test
 * fails if one of them is not allowed by {@code StepState}/{@code TaskState}, and checks that the
 * run really made each kind of change.
 */
class EngineStateMachineTest {
    private static final String FLOW = """
            namespace: engine
            name: flow
            version: 1.0.0
            identity_strategy: always_unique
            steps:
              - name: root
                handler: {callable: test.Ok}
              - name: left
                handler: {callable: test.RetryAtOnce}
                depends_on: [root]
              - name: right
                handler: {callable: test.RetryLater}
                depends_on: [root]
                retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 20}
              - name: join
                handler: {callable: test.Join}
                depends_on: [left, right]
            """;
    private static final String DOOMED = """
            namespace: engine
            name: doomed
            version: 1.0.0
            identity_strategy: always_unique
            steps:
              - name: first
                handler: {callable: test.Ok}
              - name: fails
                handler: {callable: test.Fails}
                depends_on: [first]
              - name: never
                handler: {callable: test.Ok}
                depends_on: [fails]
            """;
    private static final String ABANDONED = """
            namespace: abandoned
            name: abandoned
            version: 1.0.0
            identity_strategy: always_unique
            steps:
              - name: crashes_once
                handler: {callable: test.Ok}
              - name: crashes_always
                handler: {callable: test.Ok}
                retry: {retryable: true, max_attempts: 1, backoff_base_ms: 0, max_backoff_ms: 0}
            """;
    private static final String SLOW = """
            namespace: slow
            name: slow
            version: 1.0.0
            identity_strategy: always_unique
            steps:
              - name: blocks
                handler: {callable: test.Blocks}
            """;

    private TestDatabase db;
    private TaskCreator creator;
    private Orchestrator orchestrator;
    private final List<WorkerSystemHandle> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db = TestDatabases.primary().createDatabase();
        TemplateRegistry registry = new TemplateRegistry(db.dataSource());
        for (String yaml : List.of(FLOW, DOOMED, ABANDONED, SLOW)) {
            registry.register(TemplateLoader.parse(yaml, "test").orThrow(), "test");
        }
        creator = new TaskCreator(db.dataSource(), registry, LocalWorkers.inThisProcess());
        orchestrator = Orchestrator.manual(db.dataSource(), OrchestratorOptions.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(WorkerSystemHandle::stop);
        orchestrator.close();
        db.close();
    }

    @Test
    void everyStateTheEngineWritesIsOneTheStateMachineAllows() {
        AtomicInteger leftRuns = new AtomicInteger();
        AtomicInteger rightRuns = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        // One slot: a step finishing with two children ready claims one of them, the other waits.
        // The join runs on a second worker, so its parents' worker enqueues it instead of claiming it.
        start("main", "engine", 1, new StepHandlerRegistry()
                .register("test.Ok", () -> context -> StepHandlerResult.success(1))
                .register("test.RetryAtOnce", () -> context -> {
                    if (leftRuns.incrementAndGet() == 1) {
                        throw new RetryableException("again, now", Duration.ZERO);
                    }
                    return StepHandlerResult.success(2);
                })
                .register("test.RetryLater", () -> context -> {
                    if (rightRuns.incrementAndGet() == 1) {
                        throw new RetryableException("again, later");
                    }
                    return StepHandlerResult.success(3);
                })
                .register("test.Fails", () -> context -> {
                    throw new PermanentException("no way");
                }));
        start("joiner", "engine", 4, new StepHandlerRegistry()
                .register("test.Join", () -> context -> StepHandlerResult.success(context.dependencyResults().size())));

        UUID flow = create("engine", "flow");
        UUID doomed = create("engine", "doomed");
        eventually().untilAsserted(() -> {
            orchestrator.runOnce();
            assertThat(taskState(flow)).isEqualTo("complete");
            assertThat(taskState(doomed)).isEqualTo("error");
        });

        // A worker that dies holding steps: one has attempts left, the other none.
        UUID abandoned = create("abandoned", "abandoned");
        assertThat(StepQueue.claim(db.dataSource(), "dead-worker", List.of("abandoned"), 2, Duration.ofMinutes(5)))
                .hasSize(2);
        Jdbc.withConnection(db.dataSource(), c -> Jdbc.update(c,
                "update tasker_steps set lease_until = now() - interval '1 second' where task_id = ?", abandoned));
        assertThat(orchestrator.runOnce().leasesRecovered()).isEqualTo(2);
        start("rescuer", "abandoned", 2, new StepHandlerRegistry()
                .register("test.Ok", () -> context -> StepHandlerResult.success("rescued")));
        eventually().untilAsserted(() -> assertThat(taskState(abandoned)).isEqualTo("error"));

        // A worker stopped while its step runs gives the claim back.
        WorkerSystemHandle slow = WorkerBootstrap.bootstrap(WorkerFixture.config("slow")
                .shutdownTimeout(Duration.ofMillis(100)).build(), db.database(), new StepHandlerRegistry()
                .register("test.Blocks", () -> context -> {
                    blocked.countDown();
                    Thread.sleep(60_000);
                    return StepHandlerResult.success(0);
                }));
        UUID slowTask = create("slow", "slow");
        eventually().until(() -> blocked.getCount() == 0);
        slow.stop();
        assertThat(stepState(slowTask, "blocks")).isEqualTo("enqueued");

        assertThat(StateChanges.forbidden(db.dataSource())).isEmpty();
        List<Change> changes = StateChanges.all(db.dataSource());
        assertThat(changes).contains(
                step(null, "enqueued"), step(null, "in_progress"), step(null, "pending"),
                step("pending", "in_progress"), step("pending", "enqueued"), step("enqueued", "in_progress"),
                step("in_progress", "complete"), step("in_progress", "waiting_for_retry"),
                step("waiting_for_retry", "enqueued"), step("in_progress", "enqueued"), step("in_progress", "error"),
                task(null, "in_progress"), task("in_progress", "complete"), task("in_progress", "error"));
        assertThat(Json.parse(resultOf(flow, "join")).asInt()).as("join saw root, left and right").isEqualTo(3);
    }

    private void start(String name, String namespace, int slots, StepHandlerRegistry handlers) {
        workers.add(WorkerBootstrap.bootstrap(WorkerFixture.config(namespace).workerId(name + "-" + UUID.randomUUID())
                .maxConcurrentSteps(slots).build(), db.database(), handlers));
    }

    private UUID create(String namespace, String name) {
        return ((CreateTaskResult.Created) creator.start(TaskRequest.of(namespace, name, null))).taskId();
    }

    private String taskState(UUID task) {
        return Jdbc.withConnection(db.dataSource(), c -> Jdbc.queryOne(c,
                "select state from tasker_tasks where id = ?", row -> row.getString(1), task)).orElseThrow();
    }

    private String stepState(UUID task, String step) {
        return column(task, step, "state");
    }

    private String resultOf(UUID task, String step) {
        return column(task, step, "results::text");
    }

    private String column(UUID task, String step, String column) {
        return Jdbc.withConnection(db.dataSource(), c -> Jdbc.queryOne(c,
                "select " + column + " from tasker_steps where task_id = ? and name = ?", row -> row.getString(1),
                task, step)).orElseThrow();
    }

    private static Change step(String from, String to) {
        return new Change("tasker_steps", from, to);
    }

    private static Change task(String from, String to) {
        return new Change("tasker_tasks", from, to);
    }
}
