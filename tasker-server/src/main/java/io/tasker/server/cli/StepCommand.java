package io.tasker.server.cli;

import picocli.CommandLine.Command;

/** {@code tasker step ...}: find failed steps and act on them. */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = "List steps across tasks, and retry, resolve or complete a failed one, through the REST API.",
        subcommands = {StepListCommand.class, StepRetryCommand.class, StepResolveCommand.class,
                StepCompleteCommand.class})
final class StepCommand extends CommandGroup {
}
