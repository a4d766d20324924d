package io.tasker.server.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the {@code tasker} command line, as {@code main} would run it. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun run(Map<String, String> environment, String... args) {
        return run(TaskerCommand.commandLine(new TaskerCommand(environment)), args);
    }

    static CommandRun run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
