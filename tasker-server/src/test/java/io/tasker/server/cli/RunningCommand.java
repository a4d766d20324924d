package io.tasker.server.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long-running command ({@code dev}, {@code server}, {@code worker}) on its own thread, as it
 * runs in a user's terminal; stopping it takes the path Ctrl-C takes.
 */
record RunningCommand(CommandLine commandLine, String name, StringWriter buffer, CompletableFuture<Integer> exit)
        implements AutoCloseable {
    /** The REST API's URL in the banner of {@code dev} and {@code server}. */
    static final Pattern API_URL = Pattern.compile("REST API +(http://\\S+)");

    /** Runs {@code args} and returns once the command says it is ready. */
    static RunningCommand start(Map<String, String> environment, String... args) {
        return start(new TaskerCommand(environment), args);
    }

    /** As {@link #start(Map, String...)}, with a command of the test's making. */
    static RunningCommand start(TaskerCommand tasker, String... args) {
        CommandLine commandLine = TaskerCommand.commandLine(tasker);
        StringWriter output = new StringWriter();
        commandLine.setOut(new PrintWriter(output, true));
        commandLine.setErr(new PrintWriter(output, true));
        // A thread of its own: on a small machine the common pool has one thread, and a second
        // command would wait for the first to end.
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(args),
                command -> new Thread(command, "tasker-" + args[0]).start());
        await().atMost(Duration.ofMinutes(2))
                .until(() -> exit.isDone() || output.toString().contains("Press Ctrl-C to stop"));
        assertThat(exit).as(output.toString()).isNotDone();
        return new RunningCommand(commandLine, args[0], output, exit);
    }

    String output() {
        return buffer.toString();
    }

    /** The first group of {@code pattern} in what the command printed, e.g. a URL from its banner. */
    String printed(Pattern pattern) {
        Matcher matcher = pattern.matcher(output());
        assertThat(matcher.find()).as(output()).isTrue();
        return matcher.group(1);
    }

    int stop() {
        ((ForegroundProcess) commandLine.getSubcommands().get(name).getCommand()).stop();
        return exit.orTimeout(1, TimeUnit.MINUTES).join();
    }

    @Override
    public void close() {
        if (!exit.isDone()) {
            stop();
        }
    }
}
