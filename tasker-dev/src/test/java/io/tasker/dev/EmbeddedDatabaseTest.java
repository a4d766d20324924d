package io.tasker.dev;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Only whoever holds the folder's password gets into its embedded PostgreSQL; a folder's server
 * left running by a process that died is taken over, a live one is not.
 */
class EmbeddedDatabaseTest {
    private static final int PROTOCOL_3 = 196608;
    /** AuthenticationSASL: the server asks for a SCRAM proof of the password. */
    private static final int SASL = 10;
    private static final String INVALID_PASSWORD = "28P01";

    @TempDir
    Path folder;

    @Test
    void aServerWhoseOwnerWasKilledIsStoppedAndTheFolderStartsAgain() throws Exception {
        // Another JVM starts PostgreSQL on the folder and is killed with SIGKILL: the server lives on.
        String java = ProcessHandle.current().info().command().orElse("java");
        Process owner = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EmbeddedDatabaseOwner.class.getName(), folder.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream()))) {
            for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
                assertThat(line).as("the owner process ended before its PostgreSQL was ready").isNotNull();
            }
        }
        owner.destroyForcibly().waitFor();
        long orphanPid = postmasterPid();
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        try (EmbeddedDatabase again = EmbeddedDatabase.start(folder, 0, true);
             Database database = Database.connect(again.url(), 1)) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            int answer = Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c, "select 1",
                    row -> row.getInt(1))).orElseThrow();
            assertThat(answer).isEqualTo(1);
        }
    }

    @Test
    void aServerWhoseOwnerRunsIsRefusedAtOnceSayingWho() {
        try (EmbeddedDatabase running = EmbeddedDatabase.start(folder, 0, true)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(folder, 0, true))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageContaining("is in use by process " + ProcessHandle.current().pid());
            assertThat(running.port()).isPositive();
        }
    }

    @Test
    void everyConnectionOverTcpOrTheSocketMustGiveThePassword() throws Exception {
        try (EmbeddedDatabase server = EmbeddedDatabase.start(folder, 0, true)) {
            String password = server.url().password();

            assertThat(authenticationAsked(SocketChannel.open(new InetSocketAddress("localhost", server.port()))))
                    .isEqualTo(SASL);
            Path socket = server.socketDirectory().resolve(".s.PGSQL." + server.port());
            assertThat(authenticationAsked(SocketChannel.open(UnixDomainSocketAddress.of(socket)))).isEqualTo(SASL);
            assertThatThrownBy(() -> DriverManager.getConnection(server.url().jdbcUrl(), "postgres", "wrong"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
            assertThatThrownBy(() -> DriverManager.getConnection(server.url().jdbcUrl(), "postgres", null))
                    .isInstanceOf(SQLException.class);
            assertThat(selectOne(server.url())).isEqualTo(1);

            assertThat(password).matches("[0-9a-f]{32}");
            assertThat(server.passwordFile()).isEqualTo(folder.toAbsolutePath().resolve(".tasker-password"))
                    .hasContent(password);
            assertThat(Files.getPosixFilePermissions(server.passwordFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void theSocketLiesInADirectoryOnlyItsOwnerCanOpen() throws Exception {
        try (EmbeddedDatabase server = EmbeddedDatabase.start(folder, 0, true)) {
            Path directory = server.socketDirectory();

            assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(directory.resolve(".s.PGSQL." + server.port())).exists();
            assertThat(Path.of("/tmp", ".s.PGSQL." + server.port())).doesNotExist();
        }
    }

    @Test
    void aRestartUsesThePasswordOfTheFolder() throws Exception {
        String first;
        try (EmbeddedDatabase server = EmbeddedDatabase.start(folder, 0, true)) {
            first = server.url().password();
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(folder, 0, true)) {
            assertThat(again.url().password()).isEqualTo(first);
            assertThat(selectOne(again.url())).isEqualTo(1);
        }
    }

    @Test
    void aFolderMadeWhenEveryConnectionWasTrustedGetsAPasswordAndKeepsItsData() throws Exception {
        // As earlier versions made it: initdb's trust for every local connection.
        try (EmbeddedPostgres trusting = EmbeddedPostgres.builder().setDataDirectory(folder).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start();
             Connection c = trusting.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create table kept_from_before (id int)");
        }
        assertThat(Files.readString(folder.resolve("pg_hba.conf"))).containsPattern("(?m)^host .* trust$");

        try (EmbeddedDatabase server = EmbeddedDatabase.start(folder, 0, true)) {
            assertThat(authenticationAsked(SocketChannel.open(new InetSocketAddress("localhost", server.port()))))
                    .isEqualTo(SASL);
            assertThat(server.passwordFile()).hasContent(server.url().password());
            try (Database database = Database.connect(server.url(), 1)) {
                Optional<Boolean> kept = Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c,
                        "select to_regclass('kept_from_before') is not null", row -> row.getBoolean(1)));
                assertThat(kept).contains(true);
            }
        }
        assertThat(Files.readString(folder.resolve("pg_hba.conf"))).doesNotContain("trust");
    }

    /** The code of the server's first authentication request to a client that says it is postgres: 0 lets it in. */
    private static int authenticationAsked(SocketChannel channel) throws IOException {
        try (channel) {
            byte[] parameters = "user\0postgres\0database\0postgres\0\0".getBytes(StandardCharsets.US_ASCII);
            ByteBuffer startup = ByteBuffer.allocate(8 + parameters.length)
                    .putInt(8 + parameters.length).putInt(PROTOCOL_3).put(parameters).flip();
            while (startup.hasRemaining()) {
                channel.write(startup);
            }
            ByteBuffer answer = ByteBuffer.allocate(9);
            while (answer.hasRemaining() && channel.read(answer) >= 0) {
                // reads until the message type, its length and the request code are in
            }
            answer.flip();
            assertThat((char) answer.get()).as("an authentication request").isEqualTo('R');
            answer.getInt();
            return answer.getInt();
        }
    }

    private static int selectOne(DatabaseUrl url) {
        try (Database database = Database.connect(url, 1)) {
            return Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c, "select 1", row -> row.getInt(1)))
                    .orElseThrow();
        }
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(folder.resolve("postmaster.pid")).getFirst().strip());
    }
}
