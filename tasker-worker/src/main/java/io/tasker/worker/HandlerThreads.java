package io.tasker.worker;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The long-lived threads a handler layer runs steps on: one per handler slot, plus one in place of
 * each thread whose handler did not stop when its step was cancelled ({@link #grow}), dropped
 * again when that handler returns at last ({@link #shrink}). The queue needs no bound: the
 * foundation publishes a step only when it holds a slot for it, and a slot stays taken until its
 * thread is free or replaced, so a queued step never waits for a busy thread.
 */
public final class HandlerThreads {
    private final ThreadPoolExecutor pool;

    public HandlerThreads(int slots, ThreadFactory threads) {
        this.pool = new ThreadPoolExecutor(slots, slots, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                threads);
        this.pool.prestartAllCoreThreads();
    }

    public void execute(Runnable run) {
        pool.execute(run);
    }

    /** One more thread, in place of a stuck one. */
    public synchronized void grow() {
        pool.setMaximumPoolSize(pool.getMaximumPoolSize() + 1);
        pool.setCorePoolSize(pool.getCorePoolSize() + 1);
        pool.prestartCoreThread();
    }

    /** A replaced thread returned: one thread fewer, the first to be idle. */
    public synchronized void shrink() {
        pool.setCorePoolSize(pool.getCorePoolSize() - 1);
        pool.setMaximumPoolSize(pool.getMaximumPoolSize() - 1);
    }

    /** The threads there are to be now. */
    public synchronized int size() {
        return pool.getCorePoolSize();
    }

    /** Runs what is queued, then ends the threads; waits for nothing. */
    public void shutdown() {
        pool.shutdown();
    }

    /** Interrupts every handler still running and waits up to {@code wait} for them to end. */
    public void shutdownNow(Duration wait) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
