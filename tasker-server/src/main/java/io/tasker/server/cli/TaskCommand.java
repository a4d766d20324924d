package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker task ...}: create, find, follow and cancel tasks on a running Tasker. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "Create, list, show, watch and cancel tasks through the REST API.",
        subcommands = {TaskCreateCommand.class, TaskListCommand.class, TaskGetCommand.class, TaskWatchCommand.class,
                TaskCancelCommand.class})
final class TaskCommand extends CommandGroup {
}
