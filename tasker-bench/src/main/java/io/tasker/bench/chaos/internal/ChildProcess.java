package io.tasker.bench.chaos.internal;

import io.tasker.server.cli.TaskerCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tasker} process of a chaos run: the same java and classpath as the driver, tethered to
 * it (see {@link Tether}), its stdout and stderr in a log file of the run folder.
 */
final class ChildProcess {

    private final String role;
    private final Process process;
    private final Path log;
    private final long startedMicros;

    private ChildProcess(String role, Process process, Path log, long startedMicros) {
        this.role = role;
        this.process = process;
        this.log = log;
        this.startedMicros = startedMicros;
    }

    /** Starts {@code tasker ARGS...} as {@code role}, its output in {@code log}, with {@code environment} added. */
    static ChildProcess start(String role, List<String> args, Path log, Map<String, String> environment) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small JVMs that start fast: one machine runs them all beside PostgreSQL, and a restarted
        // worker should serve again soon. C1 alone starts JRuby far sooner; the run checks
        // correctness, not speed.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Tether.class.getName(), TaskerCommand.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        try {
            long started = Journal.nowMicros();
            return new ChildProcess(role, builder.start(), log, started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + role + " process", e);
        }
    }

    String role() {
        return role;
    }

    long pid() {
        return process.pid();
    }

    long startedMicros() {
        return startedMicros;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status; the process must have ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** Waits until the log shows {@code marker}; fails, with the log's tail, if the process ends or time runs out. */
    void awaitOutput(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(marker)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the " + role + " process (pid " + pid() + ") exited with status "
                        + process.exitValue() + " before it was ready; the end of " + log + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the " + role + " process (pid " + pid() + ") was not ready within "
                        + timeout.toSeconds() + " s; the end of " + log + ":\n" + tail());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** {@code kill -9}; returns when the process is gone, the time it was seen gone. */
    long kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        return Journal.nowMicros();
    }

    /** SIGTERM, without waiting. */
    void signalTerm() {
        process.destroy();
    }

    /**
     * SIGTERM, then waits up to {@code patience}; true if it ended by then. A process that did
     * not is left running for the caller to deal with.
     */
    boolean terminate(Duration patience) throws InterruptedException {
        process.destroy();
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What the process printed since it started. */
    String output() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Appends a line of the driver's to the log, so it reads in order with the process's own. */
    void note(String line) {
        try {
            Files.writeString(log, "[tasker chaos] " + line + "\n", StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the log is for people; the run goes on without the note
        }
    }
}
