package io.tasker.bench.chaos.internal;

import io.tasker.core.db.DatabaseUrl;
import io.tasker.dev.EmbeddedDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The chaos run's own PostgreSQL: the embedded server on a folder of the run, stopped and started
 * again on the same folder and port, so the server and workers find it where it was. A restart
 * is a fast shutdown ({@code pg_ctl stop -m fast}: sessions are cut, the checkpoint written); an
 * immediate stop is SIGQUIT to the postmaster ({@code pg_ctl stop -m immediate}: no checkpoint,
 * crash recovery on the next start).
 *
 * <p>PostgreSQL runs detached from the driver, so a watchdog, a shell holding the other end of a
 * pipe from the driver, stops it (immediately) when the driver ends without stopping it, even
 * by {@code kill -9}.
 */
final class Postgres implements AutoCloseable {
    private final Path folder;
    private final int port;
    private final Process watchdog;
    private EmbeddedDatabase server;

    private Postgres(Path folder, EmbeddedDatabase server, Process watchdog) {
        this.folder = folder;
        this.server = server;
        this.port = server.port();
        this.watchdog = watchdog;
    }

    /** Starts a new cluster in {@code folder}, on any free port. */
    static Postgres start(Path folder) throws IOException {
        // Kept data: fsync and synchronous commit on, as 'tasker dev' runs it. A commit the
        // server acknowledged must survive the immediate stop.
        EmbeddedDatabase server = EmbeddedDatabase.start(folder, 0, true);
        Path pidFile = folder.toAbsolutePath().resolve("postmaster.pid");
        // Waits for the end of its input, then stops whichever postmaster runs on the folder by then.
        Process watchdog = new ProcessBuilder("sh", "-c",
                "cat > /dev/null; kill -QUIT \"$(head -n 1 \"$0\" 2>/dev/null)\" 2>/dev/null", pidFile.toString())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new Postgres(folder, server, watchdog);
    }

    DatabaseUrl url() {
        return server.url();
    }

    /** Fast shutdown, then a start on the same folder and port. */
    synchronized void restart() {
        server.close();
        server = null;
        server = EmbeddedDatabase.start(folder, port, true);
    }

    /**
     * SIGQUIT to the postmaster, as {@code pg_ctl stop -m immediate} sends, then a start on the
     * same folder and port, which recovers from the WAL.
     */
    synchronized void stopImmediatelyAndStart() throws IOException, InterruptedException {
        long pid = postmasterPid().orElseThrow(() -> new IllegalStateException("PostgreSQL in " + folder
                + " has no postmaster.pid; is it running?"));
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -QUIT " + pid + " failed with status " + kill.exitValue());
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isPresent() && !postmaster.get().onExit().completeOnTimeout(null, 60, TimeUnit.SECONDS)
                .thenApply(p -> p != null).join()) {
            throw new IllegalStateException("the postmaster (pid " + pid + ") did not stop within 60 s of SIGQUIT");
        }
        // Releases the library's lock on the folder; its own stop finds nothing to stop, and says so in the log.
        server.close();
        server = null;
        server = EmbeddedDatabase.start(folder, port, true);
    }

    private Optional<Long> postmasterPid() throws IOException {
        Path pidFile = folder.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readAllLines(pidFile).getFirst().strip()));
    }

    /** Stops the server; also from the driver's shutdown hook, hence synchronized with the restarts. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        try {
            // Stopped already: the watchdog finds no postmaster.pid and ends.
            watchdog.getOutputStream().close();
        } catch (IOException ignored) {
            // it is gone already
        }
    }
}
