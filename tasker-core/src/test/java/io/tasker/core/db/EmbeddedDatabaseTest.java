package io.tasker.core.db;

import io.tasker.core.internal.Jdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A folder's embedded PostgreSQL left running by a process that died is taken over; a live one is not. */
class EmbeddedDatabaseTest {
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

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(folder.resolve("postmaster.pid")).getFirst().strip());
    }
}
