package io.tasker.core.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL server started from the binaries shipped in a Maven artifact, with its data
 * kept in a local folder. Starting it again on the same folder reuses the data; closing it shuts
 * the server down cleanly.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    /** The process that started the server on a folder, next to PostgreSQL's own postmaster.pid. */
    static final String OWNER_FILE = "tasker-owner.pid";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts the server on {@code dataDirectory}, creating the cluster on first use.
     *
     * @param port the port to listen on, or 0 for any free port
     * @param keepData false to wipe the folder first (tests), true to keep it across restarts
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean keepData) {
        return start(dataDirectory, port, keepData, Map.of());
    }

    /** As {@link #start(Path, int, boolean)}, with more server settings ({@code postgresql.conf} names). */
    public static EmbeddedDatabase start(Path dataDirectory, int port, boolean keepData, Map<String, String> settings) {
        try {
            Files.createDirectories(dataDirectory);
            stopOrphan(dataDirectory.toAbsolutePath());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory.toAbsolutePath())
                    .setCleanDataDirectory(!keepData)
                    // The owner stops the server in its orderly shutdown, after the workers have
                    // recorded their last results; the library's own hook would stop it under them.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    .setServerConfig("synchronous_commit", keepData ? "on" : "off");
            settings.forEach(builder::setServerConfig);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedDatabase started = new EmbeddedDatabase(builder.start(), dataDirectory.toAbsolutePath());
            Files.writeString(dataDirectory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return started;
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DatabaseException("cannot start the embedded PostgreSQL in " + dataDirectory.toAbsolutePath()
                    + ": " + Database.rootMessage(e)
                    + " (is another 'tasker dev' using this folder? choose another with --data-dir)", e);
        }
    }

    /**
     * A server still running on the folder, started by a process that has ended (killed with
     * {@code kill -9}, say), is stopped, so this start can take the folder; one whose process still
     * runs is someone else's, and this start is refused at once, saying so. The owner is the
     * process id this class writes next to PostgreSQL's own pid file.
     */
    private static void stopOrphan(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = firstLong(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true));
        if (postmaster.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> owner = firstLong(dataDirectory.resolve(OWNER_FILE)).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive);
        if (owner.isPresent()) {
            throw new DatabaseException("the embedded PostgreSQL in " + dataDirectory + " is in use by process "
                    + owner.get().pid() + " (another 'tasker dev'?); stop it, or choose another folder with --data-dir");
        }
        log.warn("stopping the embedded PostgreSQL (pid {}) that a Tasker process which has ended left running in {}",
                postmaster.get().pid(), dataDirectory);
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            postmaster.get().destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<Long> firstLong(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(file).getFirst().strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public DatabaseUrl url() {
        return DatabaseUrl.of("localhost", postgres.getPort(), DATABASE, USER);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new DatabaseException("embedded PostgreSQL did not shut down cleanly: " + e.getMessage(), e);
        }
    }
}
