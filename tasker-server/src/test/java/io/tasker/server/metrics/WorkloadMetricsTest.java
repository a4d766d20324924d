package io.tasker.server.metrics;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import io.tasker.server.node.ClasspathTemplates;
import io.tasker.server.node.TaskerNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures read from the database: what they count, how long they are cached, and a database that is down. */
class WorkloadMetricsTest {
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void countsOpenTasksAndTheirWaitingStepsByNamespace() {
        // No worker and no orchestrator: a new task stays open with its root step enqueued.
        try (TestDatabase database = TestDatabases.primary().createDatabase();
             TaskerNode node = TaskerNode.on(database.database()).register(examples()).api("127.0.0.1", 0).start()) {
            WorkloadMetrics metrics = new WorkloadMetrics(database.dataSource(), registry, clock);
            Tasks tasks = new Tasks(new Http(node.api().orElseThrow().url()));
            tasks.create("linear_workflow", "{\"even_number\": 2}");
            tasks.create("linear_workflow", "{\"even_number\": 4}");

            metrics.refreshIfStale();

            assertThat(steps("examples", "enqueued")).isEqualTo(2);
            assertThat(steps("examples", "in_progress")).isZero();
            assertThat(steps("examples", "waiting_for_retry")).isZero();
            assertThat(registry.find("tasker.tasks.open").gauges()).extracting(g -> g.getId().getTag("state"))
                    .containsExactlyInAnyOrder("pending", "in_progress");
            assertThat(registry.find("tasker.tasks.open").gauges().stream().mapToDouble(g -> g.value()).sum()).isEqualTo(2);
        }
    }

    @Test
    void readsTheDatabaseAtMostOncePerMaxAgeAndCountsEachFinishedTaskOnce() {
        try (RunningTasker tasker = RunningTasker.start()) {
            Tasks tasks = new Tasks(new Http(tasker.url()));
            WorkloadMetrics metrics = new WorkloadMetrics(tasker.database().dataSource(), registry, clock);
            metrics.refreshIfStale();
            assertThat(finished("complete")).isZero();

            tasks.awaitFinished(tasks.create("linear_workflow", "{\"even_number\": 20}"));
            metrics.refreshIfStale();
            assertThat(finished("complete")).as("cached").isZero();

            clock.add(WorkloadMetrics.MAX_AGE);
            metrics.refreshIfStale();
            assertThat(finished("complete")).isEqualTo(1);

            // Once the floor has passed the first task, it is counted from the settled total.
            clock.add(FinishedTasks.SETTLE);
            metrics.refreshIfStale();
            clock.add(WorkloadMetrics.MAX_AGE);
            metrics.refreshIfStale();
            assertThat(finished("complete")).isEqualTo(1);

            tasks.awaitFinished(tasks.create("linear_workflow", "{\"even_number\": 22}"));
            clock.add(WorkloadMetrics.MAX_AGE);
            metrics.refreshIfStale();
            assertThat(finished("complete")).isEqualTo(2);
            clock.add(FinishedTasks.SETTLE.plus(WorkloadMetrics.MAX_AGE));
            metrics.refreshIfStale();
            clock.add(Duration.ofSeconds(1).plus(WorkloadMetrics.MAX_AGE));
            metrics.refreshIfStale();
            assertThat(finished("complete")).isEqualTo(2);
            assertThat(finished("error")).isZero();
        }
    }

    @Test
    void aDatabaseThatIsDownLeavesTheFiguresAsTheyWere() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            database.database().close();
            WorkloadMetrics metrics = new WorkloadMetrics(database.dataSource(), registry, clock);

            metrics.refreshIfStale();
            clock.add(WorkloadMetrics.MAX_AGE.toNanos(), TimeUnit.NANOSECONDS);
            metrics.refreshIfStale();

            assertThat(registry.find("tasker.tasks.open").gauges()).allSatisfy(g -> assertThat(g.value()).isZero());
            assertThat(registry.find("tasker.steps").gauges()).isEmpty();
        }
    }

    private double steps(String namespace, String state) {
        return registry.get("tasker.steps").tag("namespace", namespace).tag("state", state).gauge().value();
    }

    private double finished(String state) {
        return registry.get("tasker.tasks.finished").tag("state", state).functionCounter().count();
    }

    private static List<TemplateLoadResult.Loaded> examples() {
        return ClasspathTemplates.load(ClasspathTemplates.EXAMPLES).stream()
                .map(TemplateLoadResult.Loaded.class::cast)
                .toList();
    }
}
