package io.tasker.server.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tasker.core.internal.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The work in the database, as every server sharing it sees it: open tasks by state, steps
 * waiting, running or waiting for a retry by namespace and state, and tasks finished since the
 * first scrape ({@link FinishedTasks}).
 *
 * <p>Each figure is read from a partial index that holds only open work, so a read costs the same
 * with a million finished tasks as with none. Reads are cached for {@link #MAX_AGE}: however many
 * scrapes arrive, the database is asked at most once in that time, by one of them while the
 * others wait for its answer. When the database does not answer, the last figures stay and the
 * next attempt waits the same time.
 */
final class WorkloadMetrics {
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(WorkloadMetrics.class);

    /** The predicate of the {@code tasker_tasks_open} index, word for word, so the planner uses it. */
    private static final String OPEN_TASKS = """
            select state, count(*) as count from tasker_tasks
            where state not in ('complete', 'error', 'cancelled', 'resolved_manually')
            group by state
            """;
    private static final List<String> OPEN_TASK_STATES = List.of("pending", "in_progress");
    private static final List<String> ACTIVE_STEP_STATES = List.of("enqueued", "in_progress", "waiting_for_retry");

    /** One branch per partial index: the queue, the leases, the retries. */
    private static final String ACTIVE_STEPS = """
            select namespace, 'enqueued' as state, count(*) as count from tasker_steps
            where state = 'enqueued' group by namespace
            union all
            select namespace, 'in_progress', count(*) from tasker_steps
            where state = 'in_progress' group by namespace
            union all
            select namespace, 'waiting_for_retry', count(*) from tasker_steps
            where state = 'waiting_for_retry' group by namespace
            """;

    private static final String NAMESPACES = "select name from tasker_namespaces";

    /** What one read found; a missing key counts none. */
    private record Workload(List<String> namespaces, Map<String, Long> openTasks, Map<StepKey, Long> activeSteps,
                            Map<String, Long> finished) {
        static final Workload NONE = new Workload(List.of(), Map.of(), Map.of(), Map.of());
    }

    private record StepKey(String namespace, String state) {}

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final Clock clock;
    private final FinishedTasks finishedTasks = new FinishedTasks();
    /**
     * Every namespace has a series per state from its first read on, 0 when it has no such steps,
     * so a dashboard shows a drop to 0 rather than a gap.
     */
    private final Set<StepKey> stepSeries = new HashSet<>();
    private volatile Workload workload = Workload.NONE;
    private long readAtNanos;
    private boolean read;
    private boolean failing;

    WorkloadMetrics(DataSource dataSource, MeterRegistry registry, Clock clock) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.clock = clock;
        for (String state : OPEN_TASK_STATES) {
            Gauge.builder("tasker.tasks.open", this, w -> w.workload.openTasks().getOrDefault(state, 0L))
                    .description("Tasks not yet finished, by state, in the whole database")
                    .tag("state", state)
                    .register(registry);
        }
        for (String state : FinishedTasks.STATES) {
            FunctionCounter.builder("tasker.tasks.finished", this, w -> w.workload.finished().getOrDefault(state, 0L))
                    .description("Tasks that reached a final state since this server's first scrape, "
                            + "in the whole database")
                    .tag("state", state)
                    .register(registry);
        }
    }

    /** Reads the database if the figures are older than {@link #MAX_AGE}, or were never read. */
    synchronized void refreshIfStale() {
        long now = clock.monotonicTime();
        if (read && now - readAtNanos < MAX_AGE.toNanos()) {
            return;
        }
        read = true;
        readAtNanos = now;
        try {
            workload = Jdbc.inSnapshot(dataSource, connection -> {
                // A scrape must never hold a connection long, whatever the database is doing.
                Jdbc.update(connection, "set local statement_timeout = 2000");
                return new Workload(
                        Jdbc.query(connection, NAMESPACES, row -> row.getString(1)),
                        counts(connection, OPEN_TASKS, row -> row.getString("state")),
                        counts(connection, ACTIVE_STEPS,
                                row -> new StepKey(row.getString("namespace"), row.getString("state"))),
                        finishedTasks.count(connection, now));
            });
            workload.namespaces().forEach(namespace -> ACTIVE_STEP_STATES.forEach(state ->
                    registerStepSeries(new StepKey(namespace, state))));
            workload.activeSteps().keySet().forEach(this::registerStepSeries);
            if (failing) {
                log.info("metrics read the database again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("metrics cannot read the database, showing the last figures: {}", e.getMessage());
                failing = true;
            }
        }
    }

    /** The {@code count} column of each row, by the key {@code key} reads from the row. */
    private static <K> Map<K, Long> counts(Connection connection, String sql, Jdbc.RowMapper<K> key)
            throws SQLException {
        Map<K, Long> counts = new HashMap<>();
        for (Map.Entry<K, Long> row : Jdbc.query(connection, sql, r -> Map.entry(key.map(r), r.getLong("count")))) {
            counts.put(row.getKey(), row.getValue());
        }
        return counts;
    }

    private void registerStepSeries(StepKey key) {
        if (stepSeries.add(key)) {
            Gauge.builder("tasker.steps", this, w -> w.workload.activeSteps().getOrDefault(key, 0L))
                    .description("Steps waiting to run (enqueued), running (in_progress) or waiting for a retry, "
                            + "by namespace, in the whole database")
                    .tags("namespace", key.namespace(), "state", key.state())
                    .register(registry);
        }
    }
}
