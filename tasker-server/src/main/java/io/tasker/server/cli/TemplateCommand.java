package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker template ...}: work with task template files. */
@Command(name = "template", mixinStandardHelpOptions = true, description = "Work with task template files.",
        subcommands = TemplateValidateCommand.class)
final class TemplateCommand extends CommandGroup {
}
