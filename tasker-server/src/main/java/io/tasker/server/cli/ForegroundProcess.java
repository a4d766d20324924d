package io.tasker.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A command that runs until Ctrl-C or SIGTERM: {@code dev}, {@code server}, {@code worker}. Both
 * a signal (through a shutdown hook) and {@link #stop()} (tests) take the same path: the command
 * thread wakes, stops what it started (printing what it waits for), prints "stopped", and only
 * then lets the hook go on, so the JVM never exits with a worker or PostgreSQL half shut down.
 * A signal that ends in "stopped" exits with status 0: the command did what was asked of it.
 */
abstract class ForegroundProcess {
    /** Beyond the workers' shutdown timeout: recording the last results, then the database. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(30);

    /** What a command runs: stopped once, telling {@code progress} what it waits for. */
    @FunctionalInterface
    interface Running {
        void stop(Consumer<String> progress) throws Exception;
    }

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stoppedCleanly;

    /**
     * Waits for a stop request, then stops {@code running}; {@code ready} prints what now runs.
     * {@code shutdownTimeout} is how long the workers may take to drain, zero without workers.
     */
    final int runUntilStopped(Running running, Duration shutdownTimeout, PrintWriter out, Runnable ready)
            throws Exception {
        Thread hook = new Thread(() -> stopAndWait(shutdownTimeout.plus(STOP_MARGIN), out), "tasker-stop");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            ready.run();
            out.flush();
            stopRequested.await();
            out.println("stopping");
            out.flush();
        } finally {
            try {
                running.stop(message -> {
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

    private static void removeUnlessShuttingDown(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what is stopping us; nothing to remove.
        }
    }
}
