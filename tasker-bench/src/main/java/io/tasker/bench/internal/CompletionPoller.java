package io.tasker.bench.internal;

import io.tasker.core.db.Database;
import io.tasker.core.internal.Jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Learns that tasks finished by asking, every {@link #INTERVAL}, which of the awaited ones are in a
 * final state: one indexed query per interval for all of them. Unlike {@link CompletionWatch} it
 * adds nothing to the tasks' own transactions, so it does not distort a run with many tasks in
 * flight; the price is that a task's end is known to within one interval, which is noise against
 * a throughput run of seconds.
 */
final class CompletionPoller implements TaskCompletions, AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(100);
    /** Keeps each query's id list a reasonable size. */
    private static final int CHUNK = 1_000;

    private static final String FINISHED = """
            select id, state from tasker_tasks
             where id = any(?) and state in ('complete', 'error', 'cancelled')
            """;

    private final Database database;
    private final Map<UUID, CompletableFuture<FinishedTask>> awaited = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean closed;
    private volatile RuntimeException failure;

    private CompletionPoller(Database database) {
        this.database = database;
        this.poller = Thread.ofPlatform().daemon().name("tasker-bench-completion-poller").unstarted(this::poll);
    }

    static CompletionPoller start(Database database) {
        CompletionPoller poller = new CompletionPoller(database);
        poller.poller.start();
        return poller;
    }

    @Override
    public CompletableFuture<FinishedTask> expect(UUID taskId) {
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        return awaited.computeIfAbsent(taskId, id -> new CompletableFuture<>());
    }

    private void poll() {
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(INTERVAL.toNanos());
                List<UUID> ids = new ArrayList<>(awaited.keySet());
                for (int from = 0; from < ids.size(); from += CHUNK) {
                    List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                    List<FinishedTask> finished = Jdbc.withConnection(database.dataSource(), c -> Jdbc.query(c,
                            FINISHED, row -> new FinishedTask(Jdbc.uuid(row, "id"), row.getString("state"),
                                    System.nanoTime()), Jdbc.uuidArray(chunk)));
                    for (FinishedTask task : finished) {
                        CompletableFuture<FinishedTask> waiting = awaited.remove(task.taskId());
                        if (waiting != null) {
                            waiting.complete(task);
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failure = e;
                awaited.values().forEach(waiting -> waiting.completeExceptionally(e));
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
