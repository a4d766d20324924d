package io.tasker.bench.cli;

import io.tasker.server.cli.TaskerCommand;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the {@code tasker} command line with this module on the classpath, as {@code main} runs it. */
record TaskerRun(int exitCode, String out, String err) {

    static TaskerRun of(String... args) {
        CommandLine commandLine = TaskerCommand.commandLine(new TaskerCommand(Map.of()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return new TaskerRun(commandLine.execute(args), out.toString(), err.toString());
    }
}
