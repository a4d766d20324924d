package io.tasker.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A command that runs until Ctrl-C or SIGTERM: {@code dev}, {@code server}, {@code worker}. Both
 * a signal (through a shutdown hook) and {@link #stop()} (tests) take the same path: the command
 * thread wakes, stops what it started (printing what it waits for), prints "stopped", and only
 * then lets the hook go on, so the JVM never exits with a worker or PostgreSQL half shut down.
 * A signal that ends in "stopped" exits with status 0: the command did what was asked of it.
 *
 * <p>The hook is in place before the command starts anything, so a signal during the start
 * (seconds of JRuby and PostgreSQL) stops what was started as soon as the start is done, instead
 * of ending the JVM halfway and leaving the embedded PostgreSQL running.
 */
abstract class ForegroundProcess {
    /** Beyond the workers' shutdown timeout: finishing the start, recording the last results, then the database. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    /** Starts what a command runs. */
    @FunctionalInterface
    interface Start {
        Started start() throws Exception;
    }

    /** What a command started: how it says it is ready, and how it stops, telling {@code progress} what it waits for. */
    record Started(Stop stop, Runnable ready) {}

    @FunctionalInterface
    interface Stop {
        void stop(Consumer<String> progress) throws Exception;
    }

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean startDone = new AtomicBoolean();
    private final AtomicBoolean stopAnnounced = new AtomicBoolean();
    private volatile boolean stoppedCleanly;

    /**
     * Starts, prints what now runs, waits for a stop request, then stops. {@code shutdownTimeout}
     * is how long the workers may take to drain, zero without workers.
     */
    final int runUntilStopped(Start start, Duration shutdownTimeout, PrintWriter out) throws Exception {
        Thread hook = new Thread(() -> stopAndWait(shutdownTimeout.plus(STOP_MARGIN), out), "tasker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        Started started;
        try {
            started = start.start();
        } catch (Exception | Error e) {
            boolean cutShort = stopRequested.getCount() == 0;
            if (cutShort) {
                // A start that fails once the JVM shuts down (JRuby, for one, cannot load then) was cut
                // short by the stop asked for; what it had started it stopped again as it failed.
                out.println("stopped before the start was done");
                out.flush();
                stoppedCleanly = true;
            }
            stopped.countDown();
            removeUnlessShuttingDown(hook);
            if (cutShort) {
                return 0;
            }
            throw e;
        }
        startDone.set(true);
        try {
            if (stopRequested.getCount() > 0) {
                started.ready().run();
                out.flush();
            }
            stopRequested.await();
            announceStop(out, "stopping");
        } finally {
            try {
                started.stop().stop(message -> {
                    out.println(message);
                    out.flush();
                });
                out.println("stopped");
                out.flush();
                stoppedCleanly = true;
            } finally {
                stopped.countDown();
                removeUnlessShuttingDown(hook);
            }
        }
        return 0;
    }

    /** Asks the running command to shut down; it returns once it has. */
    final void stop() {
        stopRequested.countDown();
    }

    private void stopAndWait(Duration limit, PrintWriter out) {
        if (!startDone.get()) {
            announceStop(out, "stopping once the start is done");
        }
        stop();
        try {
            if (stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS) && stoppedCleanly) {
                out.flush();
                // A signal would make the exit status 128 + its number; the command ended as asked.
                Runtime.getRuntime().halt(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void announceStop(PrintWriter out, String line) {
        if (stopAnnounced.compareAndSet(false, true)) {
            out.println(line);
            out.flush();
        }
    }

    private static void removeUnlessShuttingDown(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what is stopping us; nothing to remove.
        }
    }
}
