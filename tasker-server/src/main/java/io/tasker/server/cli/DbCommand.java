package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker db ...}: operations on the Tasker database itself. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Manage the Tasker database.",
        subcommands = DbMigrateCommand.class)
final class DbCommand extends CommandGroup {
}
