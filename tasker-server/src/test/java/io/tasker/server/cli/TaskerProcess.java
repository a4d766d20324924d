package io.tasker.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code tasker} command line in a JVM of its own, on the test classpath, as a user runs it:
 * for what only a real process shows (signals, exit status, the logging configuration, which is
 * the JVM's, the working directory). It runs in the folder it is given, where its stdout and
 * stderr go to files.
 */
record TaskerProcess(Process process, Path outFile, Path errFile) implements AutoCloseable {

    /** Starts {@code args} with {@code environment} added, and returns once it says it is ready. */
    static TaskerProcess start(Path folder, Map<String, String> environment, String... args) throws IOException {
        TaskerProcess started = launch(folder, environment, args);
        await().atMost(Duration.ofMinutes(2)).until(() -> started.out().contains("Press Ctrl-C to stop")
                || !started.process().isAlive());
        assertThat(started.process().isAlive()).as(started.output()).isTrue();
        return started;
    }

    /** Starts {@code args} with {@code environment} added, and returns at once. */
    static TaskerProcess launch(Path folder, Map<String, String> environment, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As tasker.jar runs: with the logging configuration a user gets (the tests' logback-test.xml is on
        // the classpath too), and the native access for JRuby its manifest grants.
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback.xml", "--enable-native-access=ALL-UNNAMED",
                TaskerCommand.class.getName()));
        command.addAll(List.of(args));
        Path out = folder.resolve("stdout.txt");
        Path err = folder.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        return new TaskerProcess(builder.start(), out, err);
    }

    /** Sends SIGTERM, as Ctrl-C or a service manager would stop it, and returns its exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(this::output).isTrue();
        return process.exitValue();
    }

    String out() throws IOException {
        return Files.readString(outFile);
    }

    String err() throws IOException {
        return Files.readString(errFile);
    }

    /** Both streams, for assertion messages. */
    String output() {
        try {
            return "stdout:\n" + out() + "\nstderr:\n" + err();
        } catch (IOException e) {
            return "(cannot read the output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
