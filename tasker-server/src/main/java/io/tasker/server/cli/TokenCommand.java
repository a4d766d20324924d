package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker token ...}: API tokens for a protected API. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Make API tokens for a protected REST API.",
        subcommands = {TokenCreateCommand.class})
final class TokenCommand extends CommandGroup {
}
