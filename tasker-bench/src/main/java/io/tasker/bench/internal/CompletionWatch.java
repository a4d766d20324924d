package io.tasker.bench.internal;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseException;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells the benchmarks when a task finished, at the moment its last transaction commits.
 *
 * <p>A trigger on the task row sends a {@code NOTIFY} when the task's state changes to a final
 * one, and a dedicated connection listens. PostgreSQL delivers a notification at commit, so the
 * time the listener reads it is the time the result became visible, and the benchmark adds no
 * query load while it waits: polling the task's state would cost a query per poll on the same two
 * cores, and could only see the commit to within its polling interval. The price is one trigger
 * call and one notification in each task's final transaction (the trigger's {@code WHEN} keeps it
 * out of every other update), small next to the transaction itself.
 *
 * <p>That notification has a cost under concurrency, though: PostgreSQL serializes the commits of
 * all notifying transactions under one lock held across the WAL flush, so the scenarios with many
 * tasks in flight use {@link CompletionPoller} instead. The trigger is the benchmark's own: it is
 * installed on start and dropped on close.
 */
final class CompletionWatch implements TaskCompletions, AutoCloseable {
    static final String CHANNEL = "tasker_bench_task_finished";
    private static final int POLL_MILLIS = 250;

    private static final String INSTALL = """
            create or replace function tasker_bench_task_finished() returns trigger
            language plpgsql as $$
            begin
                perform pg_notify('%s', new.id::text || ' ' || new.state);
                return null;
            end
            $$;
            drop trigger if exists tasker_bench_task_finished on tasker_tasks;
            create trigger tasker_bench_task_finished
                after update of state on tasker_tasks
                for each row
                when (new.state in ('complete', 'error', 'cancelled') and old.state is distinct from new.state)
                execute function tasker_bench_task_finished();
            """.formatted(CHANNEL);

    private static final String UNINSTALL = """
            drop trigger if exists tasker_bench_task_finished on tasker_tasks;
            drop function if exists tasker_bench_task_finished();
            """;

    private final Database database;
    private final Connection connection;
    private final Thread listener;
    /** A waiter's future, or a finished task nobody waits for yet; each entry leaves when the other side comes. */
    private final Map<UUID, CompletableFuture<FinishedTask>> pending = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    private CompletionWatch(Database database, Connection connection) {
        this.database = database;
        this.connection = connection;
        this.listener = Thread.ofPlatform().daemon().name("tasker-bench-completions").unstarted(this::listen);
    }

    /** Installs the trigger and starts listening; every task that finishes from then on is seen. */
    static CompletionWatch start(Database database) {
        try (Connection c = database.connection(); Statement statement = c.createStatement()) {
            statement.execute(INSTALL);
        } catch (SQLException e) {
            throw new DatabaseException("cannot install the benchmark's completion trigger: " + e.getMessage(), e);
        }
        // Outside the pool: a LISTEN lasts as long as its session, and must not take a worker's connection.
        Connection listening = null;
        try {
            listening = BenchEnvironment.connect(database.url(), "tasker-bench-completions");
            try (Statement statement = listening.createStatement()) {
                statement.execute("listen " + CHANNEL);
            }
        } catch (SQLException e) {
            closeQuietly(listening);
            throw new DatabaseException("cannot LISTEN for finished tasks: " + e.getMessage(), e);
        }
        CompletionWatch watch = new CompletionWatch(database, listening);
        watch.listener.start();
        return watch;
    }

    @Override
    public CompletableFuture<FinishedTask> expect(UUID taskId) {
        CompletableFuture<FinishedTask> mine = new CompletableFuture<>();
        CompletableFuture<FinishedTask> early = pending.putIfAbsent(taskId, mine);
        if (early == null) {
            return mine;
        }
        pending.remove(taskId, early);
        return early;
    }

    @Override
    public FinishedTask await(UUID taskId, Duration timeout) throws InterruptedException {
        Throwable problem = failure.get();
        if (problem != null) {
            throw new IllegalStateException("the completion listener failed: " + problem, problem);
        }
        return TaskCompletions.super.await(taskId, timeout);
    }

    private void listen() {
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (!closed) {
                PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
                if (batch == null) {
                    continue;
                }
                long now = System.nanoTime();
                for (PGNotification notification : batch) {
                    arrived(notification.getParameter(), now);
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (!closed) {
                failure.set(e);
            }
        }
    }

    private void arrived(String payload, long atNanos) {
        int space = payload.indexOf(' ');
        FinishedTask finished = new FinishedTask(UUID.fromString(payload.substring(0, space)),
                payload.substring(space + 1), atNanos);
        CompletableFuture<FinishedTask> done = CompletableFuture.completedFuture(finished);
        CompletableFuture<FinishedTask> waiting = pending.putIfAbsent(finished.taskId(), done);
        if (waiting != null) {
            pending.remove(finished.taskId(), waiting);
            waiting.complete(finished);
        }
    }

    /** Stops listening and removes the trigger. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(connection);
        try (Connection c = database.connection(); Statement statement = c.createStatement()) {
            statement.execute(UNINSTALL);
        } catch (SQLException e) {
            throw new DatabaseException("cannot remove the benchmark's completion trigger: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing after use; nothing to recover
            }
        }
    }
}
