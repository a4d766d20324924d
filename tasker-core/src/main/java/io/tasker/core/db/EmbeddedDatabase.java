package io.tasker.core.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real PostgreSQL server started from the binaries shipped in a Maven artifact, with its data
 * kept in a local folder. Starting it again on the same folder reuses the data; closing it shuts
 * the server down cleanly.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

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
            return new EmbeddedDatabase(builder.start(), dataDirectory.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            throw new DatabaseException("cannot start the embedded PostgreSQL in " + dataDirectory.toAbsolutePath()
                    + ": " + Database.rootMessage(e)
                    + " (is another 'tasker dev' using this folder? choose another with --data-dir)", e);
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
