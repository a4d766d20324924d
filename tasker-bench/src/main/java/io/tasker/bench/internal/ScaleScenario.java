package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.core.db.DatabaseException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scale}: does latency grow with history? It measures the linear task as {@code linear-java}
 * does on the database as it is, then seeds {@code --seed-tasks} finished linear tasks (1M by
 * default, with {@link HistorySeed}), vacuums and checkpoints as a database in use would have
 * been, and measures again with the same warmup. The architecture asks for the second p50 within
 * 1.2x of the first. Both measurements start from a vacuumed, checkpointed database with the
 * same warmup. Seeding a million tasks takes minutes, so it runs only when named.
 */
final class ScaleScenario implements Scenario {

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String description() {
        return "linear-java before and after seeding --seed-tasks finished tasks (default 1M, by COPY): "
                + "p50/p99 and their ratio";
    }

    @Override
    public boolean runsByDefault() {
        return false;
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        BenchEnvironment environment = run.environment();
        Progress progress = run.progress();
        int warmup = run.options().warmupOr(200);
        int tasks = run.options().tasksOr(500);
        int seed = run.options().seedTasks();
        Latencies before = new Latencies();
        Latencies after = new Latencies();
        long seedNanos;
        try (CompletionWatch completions = environment.watchCompletions();
             JavaWorker ignored = JavaWorker.start(environment.database(), List.of(Workflow.LINEAR.namespace()),
                     run.options().workerSlots())) {
            SequentialTasks linear = new SequentialTasks(environment, completions, Workflow.LINEAR);
            // Both measurements start from a vacuumed, checkpointed database, so the seed is the
            // one difference between them.
            HistorySeed.settle(environment, progress);
            linear.run(warmup, new Latencies(), new Latencies(), progress, "before: warmup");
            environment.analyze();
            linear.run(tasks, before, new Latencies(), progress, "before: measured");

            long start = System.nanoTime();
            HistorySeed.write(environment, Workflow.LINEAR, seed, progress);
            seedNanos = System.nanoTime() - start;
            HistorySeed.settle(environment, progress);
            progress.line("%d finished tasks in the database, %.0f MB", count(environment), sizeMb(environment));

            // The same warmup again: the caches now hold the seed, and the measurement should meet a
            // database in use, not the first reads after a bulk load.
            linear.run(warmup, new Latencies(), new Latencies(), progress, "after: warmup");
            environment.analyze();
            linear.run(tasks, after, new Latencies(), progress, "after: measured");
        }
        double p50Before = before.percentile(50, Latencies.Unit.MILLIS);
        double p99Before = before.percentile(99, Latencies.Unit.MILLIS);
        double p50After = after.percentile(50, Latencies.Unit.MILLIS);
        double p99After = after.percentile(99, Latencies.Unit.MILLIS);
        List<Measure> measures = new ArrayList<>();
        measures.add(Measure.of("before: create->complete p50", p50Before, "ms"));
        measures.add(Measure.of("before: create->complete p99", p99Before, "ms"));
        measures.add(Measure.of("after: create->complete p50", p50After, "ms"));
        measures.add(Measure.of("after: create->complete p99", p99After, "ms"));
        measures.add(Measure.of("after/before p50", p50After / p50Before, "x", Targets.HISTORY_SLOWDOWN));
        measures.add(Measure.of("after/before p99", p99After / p99Before, "x"));
        measures.add(Measure.of("seeded tasks", seed, ""));
        measures.add(Measure.of("seed time (COPY)", seedNanos / 1e9, "s"));
        measures.add(Measure.of("seed rate", seed / (seedNanos / 1e9), "tasks/s"));
        measures.add(Measure.of("finished tasks in the database", count(environment), ""));
        measures.add(Measure.of("database size", sizeMb(environment), "MB"));
        return measures;
    }

    private static long count(BenchEnvironment environment) {
        return queryLong(environment, "select count(*) from tasker_tasks where state = 'complete'");
    }

    private static double sizeMb(BenchEnvironment environment) {
        return queryLong(environment, "select pg_database_size(current_database())") / (1024.0 * 1024.0);
    }

    private static long queryLong(BenchEnvironment environment, String sql) {
        try (Connection c = environment.database().connection(); Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new DatabaseException("cannot run '" + sql + "': " + e.getMessage(), e);
        }
    }
}
