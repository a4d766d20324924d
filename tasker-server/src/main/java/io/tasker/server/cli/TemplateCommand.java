package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker template ...}: check template files, and read the templates a running Tasker has. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Check task template files, and list, show and draw the templates of a running Tasker.",
        subcommands = {TemplateValidateCommand.class, TemplateListCommand.class, TemplateShowCommand.class,
                TemplateGraphCommand.class})
final class TemplateCommand extends CommandGroup {
}
