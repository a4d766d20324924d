package io.tasker.server.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A command that runs until Ctrl-C or SIGTERM: {@code dev}, {@code server}, {@code worker}. Both
 * a signal (through a shutdown hook) and {@link #stop()} (tests) take the same path: the command
 * thread wakes, closes what it started, prints "stopped", and only then lets the hook return, so
 * the JVM never exits with a worker or PostgreSQL half shut down.
 */
abstract class ForegroundProcess {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Waits for a stop request, then closes {@code running}; {@code ready} prints what now runs. */
    final int runUntilStopped(AutoCloseable running, PrintWriter out, Runnable ready) throws Exception {
        Thread hook = new Thread(this::stopAndWait, "tasker-stop");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            ready.run();
            out.flush();
            stopRequested.await();
            out.println("stopping");
            out.flush();
        } finally {
            try {
                running.close();
                out.println("stopped");
                out.flush();
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

    private void stopAndWait() {
        stop();
        try {
            stopped.await(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
