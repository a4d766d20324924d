package io.tasker.core.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A URL without a password gets the one of the embedded PostgreSQL it names, and only that one. */
class PasswordFileTest {
    @TempDir
    Path folder;

    @Test
    void aUrlWithoutAPasswordThatNamesTheRunningServerGetsItsPassword() throws IOException {
        running(54321, "s3cret");

        assertThat(PasswordFile.forServer(DatabaseUrl.parse("postgresql://postgres@localhost:54321/postgres"), folder))
                .contains("s3cret");
        assertThat(PasswordFile.forServer(DatabaseUrl.parse("jdbc:postgresql://127.0.0.1:54321/x?user=postgres"), folder))
                .contains("s3cret");
    }

    @Test
    void anotherPortAnotherHostAGivenPasswordOrAStoppedServerGetNone() throws IOException {
        running(54321, "s3cret");

        assertThat(PasswordFile.forServer(DatabaseUrl.parse("postgresql://postgres@localhost:5432/postgres"), folder))
                .isEmpty();
        assertThat(PasswordFile.forServer(DatabaseUrl.parse("postgresql://postgres@db.example:54321/postgres"), folder))
                .isEmpty();
        assertThat(PasswordFile.forServer(DatabaseUrl.parse("postgresql://postgres:mine@localhost:54321/postgres"),
                folder)).isEmpty();
        Files.delete(folder.resolve("postmaster.pid"));
        assertThat(PasswordFile.forServer(DatabaseUrl.parse("postgresql://postgres@localhost:54321/postgres"), folder))
                .isEmpty();
    }

    /** A data directory as a running server leaves it: its password, and its pid file naming the port. */
    private void running(int port, String password) throws IOException {
        Files.writeString(PasswordFile.of(folder), password + "\n");
        Files.writeString(folder.resolve("postmaster.pid"),
                String.join("\n", "4242", folder.toString(), "1700000000", Integer.toString(port), folder + "/socket",
                        "localhost", "  5432001    32768", "ready   ", ""));
    }
}
