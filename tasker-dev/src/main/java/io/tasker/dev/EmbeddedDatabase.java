package io.tasker.dev;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.db.PasswordFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL server started from the binaries shipped in a Maven artifact, with its data
 * kept in a local folder. Starting it again on the same folder reuses the data; closing it shuts
 * the server down cleanly.
 *
 * <p>Other users of the machine cannot get in: every connection, over TCP or the Unix socket,
 * must give the password generated for the folder ({@link PasswordFile}), and the socket lies in
 * a directory only the owner can open. A folder made before there was a password (initdb's
 * {@code trust} for every local connection) gets one at its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    /** The process that started the server on a folder, next to PostgreSQL's own postmaster.pid. */
    static final String OWNER_FILE = "tasker-owner.pid";
    /** Where the Unix socket goes, inside the data directory when the path is short enough. */
    static final String SOCKET_DIRECTORY = "socket";
    /** A Unix socket's path is at most 107 bytes; PostgreSQL adds {@code /.s.PGSQL.65535}. */
    private static final int MAX_SOCKET_DIRECTORY_LENGTH = 107 - "/.s.PGSQL.65535".length();
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Every connection must prove it knows the password; written at every start, so it cannot drift. */
    private static final String PG_HBA = """
            # Written by Tasker at every start: every connection, over the Unix socket or TCP, must
            # give the password in %s.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """.formatted(PasswordFile.NAME);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;
    private final Path socketDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, String password, Path socketDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
        this.socketDirectory = socketDirectory;
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
        Path folder = dataDirectory.toAbsolutePath();
        Path initdbPassword = null;
        try {
            Files.createDirectories(folder);
            stopOrphan(folder);
            Path sockets = socketDirectory(folder);
            EmbeddedPostgres.Builder builder = builder(folder, port, keepData, settings, sockets);
            String password;
            if (keepData && Files.exists(folder.resolve("postgresql.conf"))) {
                Optional<String> stored = PasswordFile.read(folder);
                password = stored.isPresent() ? stored.get() : addPassword(folder, settings, sockets);
            } else {
                password = NewPassword.generate();
                initdbPassword = NewPassword.ownerOnlyTempFile(null);
                Files.writeString(initdbPassword, password + "\n");
                // initdb's own options, passed on as the builder passes locale options: the
                // superuser has the password from the start, and no connection is ever trusted.
                builder.setLocaleConfig("auth", "scram-sha-256")
                        .setLocaleConfig("pwfile", initdbPassword.toString());
            }
            // Between initdb and the first start of the server.
            builder.setDataDirectoryCustomizer(dir -> prepare(folder, password, sockets))
                    .setConnectConfig("password", password);
            EmbeddedDatabase started = new EmbeddedDatabase(builder.start(), folder, password, sockets);
            Files.writeString(folder.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return started;
        } catch (DatabaseException e) {
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new DatabaseException("cannot start the embedded PostgreSQL in " + folder
                    + ": " + Database.rootMessage(e)
                    + " (is another 'tasker dev' using this folder? choose another with --data-dir)", e);
        } finally {
            deleteQuietly(initdbPassword);
        }
    }

    private static EmbeddedPostgres.Builder builder(Path folder, int port, boolean keepData, Map<String, String> settings,
                                                    Path sockets) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(folder)
                .setCleanDataDirectory(!keepData)
                // The owner stops the server in its orderly shutdown, after the workers have
                // recorded their last results; the library's own hook would stop it under them.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", keepData ? "on" : "off")
                .setServerConfig("synchronous_commit", keepData ? "on" : "off")
                .setServerConfig("password_encryption", "scram-sha-256")
                // Not the binaries' default, /tmp, where every user can reach the socket.
                .setServerConfig("unix_socket_directories", shellQuoted(sockets.toString()))
                .setServerConfig("unix_socket_permissions", "0700");
        settings.forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    /**
     * The password file, the access rules and the socket directory, written before every start:
     * a folder copied from elsewhere, or whose rules someone loosened, is put right.
     */
    private static void prepare(Path folder, String password, Path sockets) {
        try {
            if (!PasswordFile.read(folder).map(password::equals).orElse(false)) {
                NewPassword.write(folder, password);
            }
            Files.writeString(folder.resolve("pg_hba.conf"), PG_HBA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        prepareSocketDirectory(sockets);
    }

    /**
     * Gives a cluster made without a password (initdb's {@code trust}) one: it starts once as it
     * is, for as long as it takes to set its superuser's password, then that password is stored
     * and the start that follows requires it. Until then the cluster trusts local TCP connections,
     * as it always did.
     */
    private static String addPassword(Path folder, Map<String, String> settings, Path sockets)
            throws IOException, SQLException {
        log.info("setting a password on the embedded PostgreSQL in {}, made before it had one; it is kept in {}",
                folder, PasswordFile.of(folder));
        String password = NewPassword.generate();
        try (EmbeddedPostgres trusting = builder(folder, 0, true, settings, sockets)
                     .setDataDirectoryCustomizer(dir -> prepareSocketDirectory(sockets)).start();
             Connection connection = trusting.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // A generated hex string: nothing in it to escape.
            statement.execute("alter role " + USER + " password '" + password + "'");
        }
        NewPassword.write(folder, password);
        return password;
    }

    private static void prepareSocketDirectory(Path sockets) {
        try {
            Files.createDirectories(sockets);
            if (NewPassword.posix()) {
                Files.setPosixFilePermissions(sockets, OWNER_ONLY_DIRECTORY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Inside the data directory when the socket's path fits, else a new private temporary directory. */
    private static Path socketDirectory(Path folder) throws IOException {
        Path inside = folder.resolve(SOCKET_DIRECTORY);
        if (inside.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_DIRECTORY_LENGTH) {
            return inside;
        }
        return Files.createTempDirectory("tasker-pg-");
    }

    /** The server's options pass through a shell ({@code pg_ctl -o}), which would split a path with spaces. */
    private static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", file, e.toString());
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

    /** Where to connect, the password included. */
    public DatabaseUrl url() {
        return DatabaseUrl.of("localhost", postgres.getPort(), DATABASE, USER).withPassword(password);
    }

    /** The file that holds the password, readable by its owner only. */
    public Path passwordFile() {
        return PasswordFile.of(dataDirectory);
    }

    /** The directory of the Unix socket, which only its owner can open. */
    public Path socketDirectory() {
        return socketDirectory;
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
        } finally {
            if (!socketDirectory.startsWith(dataDirectory)) {
                deleteQuietly(socketDirectory);
            }
        }
    }
}
