package io.tasker.server.cli;

import io.tasker.core.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code tasker db migrate}: brings the schema of an external database up to date. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Apply pending schema migrations to the database.",
                "Safe to run any number of times: an up-to-date schema is left alone."})
final class DbMigrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Flyway holds its lock on one connection while migrating on another.
        try (Database db = Database.connect(DatabaseOptions.require(TaskerCommand.configuration(spec)), 2)) {
            SchemaMigration migration = SchemaMigration.of(db.migrate());
            migration.applied().forEach(line -> out.println("applied " + line));
            out.println(migration.summary());
        }
        return 0;
    }
}
