package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker config ...}: the configuration the commands run with. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the configuration: every setting, its value, and where the value came from.",
        subcommands = {ConfigShowCommand.class})
final class ConfigCommand extends CommandGroup {
}
