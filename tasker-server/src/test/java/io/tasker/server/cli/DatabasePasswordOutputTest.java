package io.tasker.server.cli;

import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;

/** A database password given on the command line or in the environment is never printed. */
class DatabasePasswordOutputTest {
    /** Nothing listens on port 1, so connecting fails and the error quotes the URL. */
    private static final String UNREACHABLE = "127.0.0.1:1/none";

    @Test
    void anErrorQuotesAJdbcUrlWithItsPasswordParameterMasked() {
        CommandRun run = CommandRun.run(Map.of(), "db", "migrate", "--database-url",
                "jdbc:postgresql://" + UNREACHABLE + "?user=alice&password=hunter2&sslmode=disable");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).contains("cannot connect to jdbc:postgresql://" + UNREACHABLE
                + "?user=alice&password=***&sslmode=disable").doesNotContain("hunter2");
    }

    @Test
    void anErrorQuotesALibpqUrlWithoutItsPassword() {
        CommandRun run = CommandRun.run(Map.of("TASKER_DATABASE_URL", "postgresql://alice:hunter2@" + UNREACHABLE),
                "worker");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).contains("cannot connect to jdbc:postgresql://" + UNREACHABLE + " (user alice)")
                .doesNotContain("hunter2");
    }

    @Test
    void theReadyBannersOfServerAndWorkerShowTheDatabaseWithItsPasswordMasked() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            DatabaseUrl url = database.database().url();
            // A server that trusts its clients ignores a password, so one can be given either way.
            String password = url.password() != null ? url.password() : "ignored-by-trust";
            String withPassword = commandLineUrl(url.withPassword(password));
            assertThat(withPassword).contains("password=" + password);
            Map<String, String> environment = Map.of("TASKER_DATABASE_URL", withPassword);

            try (RunningCommand server = RunningCommand.start(environment, "server", "--port", "0");
                 RunningCommand worker = RunningCommand.start(environment, "worker", "--namespace", "examples")) {
                for (RunningCommand command : new RunningCommand[] {server, worker}) {
                    assertThat(command.output()).containsPattern("database +jdbc:postgresql://\\S+password=\\*\\*\\*")
                            .doesNotContain(password);
                }
            }
        }
    }
}
