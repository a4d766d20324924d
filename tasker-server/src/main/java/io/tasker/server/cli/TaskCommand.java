package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker task ...}: create and inspect tasks on a running Tasker. */
@Command(name = "task", mixinStandardHelpOptions = true, description = "Create and inspect tasks through the REST API.",
        subcommands = {TaskCreateCommand.class, TaskGetCommand.class})
final class TaskCommand extends CommandGroup {
}
