package io.tasker.server.cli;

import io.tasker.core.db.DatabaseUrl;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

    /** The URL as a user would type it, credentials included. */
    static String commandLineUrl(DatabaseUrl url) {
        if (url.user() == null) {
            return url.jdbcUrl();
        }
        StringBuilder jdbc = new StringBuilder(url.jdbcUrl()).append(url.jdbcUrl().contains("?") ? '&' : '?');
        jdbc.append("user=").append(URLEncoder.encode(url.user(), StandardCharsets.UTF_8));
        if (url.password() != null) {
            jdbc.append("&password=").append(URLEncoder.encode(url.password(), StandardCharsets.UTF_8));
        }
        return jdbc.toString();
    }
}
