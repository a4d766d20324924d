package io.tasker.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tasker} executable. */
@Command(name = "tasker", mixinStandardHelpOptions = true,
        description = "Workflow orchestration on PostgreSQL.")
public final class TaskerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TaskerCommand()).execute(args));
    }
}
