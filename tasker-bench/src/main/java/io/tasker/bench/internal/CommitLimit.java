package io.tasker.bench.internal;

import io.tasker.core.db.DatabaseException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many durable commits a second this PostgreSQL takes: clients that each insert one row per
 * transaction, as fast as they can, into a scratch table. Every Tasker step ends in at least a
 * share of such a commit (one WAL flush, fsync'd with synchronous commit on), so this is the
 * ceiling the database and its disk put on steps per second on this machine; a throughput figure
 * as a fraction of it says how much of that ceiling the engine's own work leaves unused. Several
 * clients take more than one: PostgreSQL flushes the commits that queued up behind a flush
 * together (group commit).
 */
final class CommitLimit {
    static final String TABLE = "tasker_bench_commits";

    /** What {@code clients} did in the time given. */
    record Result(int clients, long commits, long elapsedNanos, Latencies latencies) {
        double perSecond() {
            return commits / (elapsedNanos / 1e9);
        }
    }

    private CommitLimit() {}

    /**
     * Runs {@code clients} threads, each on a connection of its own in autocommit, for
     * {@code duration}; the scratch table is created first and dropped afterwards.
     */
    static Result measure(BenchEnvironment environment, int clients, Duration duration) throws Exception {
        execute(environment, "drop table if exists " + TABLE + "; create table " + TABLE
                + " (id bigint generated always as identity primary key, v int)");
        ExecutorService threads = Executors.newFixedThreadPool(clients,
                Thread.ofPlatform().daemon().name("tasker-bench-committer-", 1).factory());
        try {
            Latencies latencies = new Latencies();
            AtomicLong commits = new AtomicLong();
            CountDownLatch connected = new CountDownLatch(clients);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(threads.submit(() -> {
                    Connection connection;
                    try {
                        connection = environment.connect("tasker-bench-commits");
                    } finally {
                        // One that cannot connect must not hold the others back; its future reports why.
                        connected.countDown();
                    }
                    try (connection; PreparedStatement insert = connection.prepareStatement(
                            "insert into " + TABLE + " (v) values (1)")) {
                        connection.setAutoCommit(true);
                        go.await();
                        long end = System.nanoTime() + duration.toNanos();
                        for (long now = System.nanoTime(); now < end; ) {
                            insert.executeUpdate();
                            long done = System.nanoTime();
                            latencies.record(done - now);
                            commits.incrementAndGet();
                            now = done;
                        }
                    }
                    return null;
                }));
            }
            // Connecting is not committing: the clock starts once every client holds its connection.
            connected.await();
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> client : running) {
                client.get();
            }
            return new Result(clients, commits.get(), System.nanoTime() - start, latencies);
        } finally {
            threads.shutdownNow();
            execute(environment, "drop table if exists " + TABLE);
        }
    }

    private static void execute(BenchEnvironment environment, String sql) {
        try (Connection c = environment.database().connection(); Statement statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new DatabaseException("cannot run '" + sql + "': " + e.getMessage(), e);
        }
    }
}
