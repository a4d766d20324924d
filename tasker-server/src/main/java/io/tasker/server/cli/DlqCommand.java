package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker dlq ...}: the dead letters, tasks that stopped moving. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "List, show, count and resolve dead letters (tasks that stopped moving) through the REST API.",
        subcommands = {DlqListCommand.class, DlqShowCommand.class, DlqResolveCommand.class, DlqStatsCommand.class})
final class DlqCommand extends CommandGroup {
}
