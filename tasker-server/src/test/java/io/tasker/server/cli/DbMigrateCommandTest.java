package io.tasker.server.cli;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;

class DbMigrateCommandTest {

    @Test
    void migratesAnEmptyDatabaseAndThenFindsItUpToDate() {
        try (TestDatabase db = TestDatabases.primary().createDatabase()) {
            emptySchema(db);
            String url = commandLineUrl(db.database().url());

            CommandRun first = CommandRun.run(Map.of(), "db", "migrate", "--database-url", url);
            CommandRun second = CommandRun.run(Map.of(), "db", "migrate", "--database-url", url);

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("applied version 1 (tasker schema)").contains("applied version 2 (one round trip step path)")
                    .contains("applied version 3 (operator actions)").contains("applied version 4 (task finished at)")
                    .contains("applied version 5 (worker callables)").contains("applied version 6 (decision points)").contains("applied version 7 (batches)")
                    .contains("schema is now at version 7");
            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out().strip()).isEqualTo("schema is up to date (version 7)");
            assertThat(tables(db)).contains("tasker_tasks", "tasker_steps");
        }
    }

    @Test
    void takesTheDatabaseFromTheEnvironmentButTheFlagWins() {
        try (TestDatabase db = TestDatabases.primary().createDatabase()) {
            String url = commandLineUrl(db.database().url());

            CommandRun fromEnv = CommandRun.run(Map.of("TASKER_DATABASE_URL", url), "db", "migrate");
            CommandRun flagWins = CommandRun.run(Map.of("TASKER_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"),
                    "db", "migrate", "--database-url", url);

            assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
            assertThat(flagWins.exitCode()).as(flagWins.err()).isZero();
            assertThat(flagWins.out()).contains("schema is up to date");
        }
    }

    @Test
    void databaseUrlServesWhenTaskerDatabaseUrlIsNotSet() {
        try (TestDatabase db = TestDatabases.primary().createDatabase()) {
            String url = commandLineUrl(db.database().url());
            String nowhere = "postgresql://nobody@127.0.0.1:1/none";

            CommandRun fallback = CommandRun.run(Map.of("DATABASE_URL", url), "db", "migrate");
            CommandRun taskerWins = CommandRun.run(Map.of("DATABASE_URL", nowhere, "TASKER_DATABASE_URL", url),
                    "db", "migrate");
            CommandRun flagWins = CommandRun.run(Map.of("DATABASE_URL", nowhere, "TASKER_DATABASE_URL", nowhere),
                    "db", "migrate", "--database-url", url);

            assertThat(fallback.exitCode()).as(fallback.err()).isZero();
            assertThat(fallback.out()).contains("schema is");
            assertThat(taskerWins.exitCode()).as(taskerWins.err()).isZero();
            assertThat(flagWins.exitCode()).as(flagWins.err()).isZero();
            assertThat(flagWins.out()).contains("schema is up to date");
        }
    }

    @Test
    void withoutADatabaseItSaysHowToGiveOne() {
        CommandRun run = CommandRun.run(Map.of(), "db", "migrate");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo(
                "error: no database given: pass --database-url postgresql://user@host:port/db or set TASKER_DATABASE_URL "
                        + "(or DATABASE_URL, or database.url in tasker.yaml)");
    }

    @Test
    void anUnreachableDatabaseIsOneLineUnlessVerbose() {
        String nowhere = "postgresql://postgres@127.0.0.1:1/none";

        CommandRun quiet = CommandRun.run(Map.of(), "db", "migrate", "--database-url", nowhere);
        CommandRun verbose = CommandRun.run(Map.of(), "db", "migrate", "--database-url", nowhere, "--verbose");
        CommandRun debug = CommandRun.run(Map.of("TASKER_DEBUG", "1"), "db", "migrate", "--database-url", nowhere);

        assertThat(quiet.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(quiet.err().lines()).singleElement().asString()
                .startsWith("error: cannot connect to jdbc:postgresql://127.0.0.1:1/none");
        assertThat(verbose.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(verbose.err()).contains("at io.tasker.core.db.Database.connect");
        assertThat(debug.err()).contains("at io.tasker.core.db.Database.connect");
    }

    @Test
    void aMalformedUrlIsExplained() {
        CommandRun run = CommandRun.run(Map.of(), "db", "migrate", "--database-url", "mysql://localhost/db");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).startsWith("error: --database-url: unsupported database URL 'mysql://localhost/db'");
    }

    /** Undoes the fixture's migration, so the command meets the empty database a new install has. */
    private static void emptySchema(TestDatabase db) {
        Jdbc.withConnection(db.dataSource(), c -> {
            Jdbc.update(c, "drop schema public cascade");
            return Jdbc.update(c, "create schema public");
        });
    }

    private static List<String> tables(TestDatabase db) {
        return Jdbc.withConnection(db.dataSource(), c -> Jdbc.query(c,
                "select table_name from information_schema.tables where table_schema = 'public'",
                row -> row.getString(1)));
    }
}
