package io.tasker.bench.internal;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java worker in a JVM of its own, as a second {@code tasker worker} on the same machine would
 * be: same classpath, same handlers, its own pool and claim loop. {@link #start} launches it;
 * {@link #main} is the child's side, which runs the worker until its stdin closes. The parent
 * closes it on {@link #close}, and the operating system does when the parent dies in any way, so
 * the child never outlives the benchmark. Its output goes to a file, never to the parent's
 * stdout or stderr, and is shown only when it fails to start.
 */
public final class WorkerProcess implements AutoCloseable {
    /** As {@code tasker worker}'s pool. */
    static final int POOL_SIZE = 10;
    private static final String READY = "tasker-bench worker process ready";
    /** The password goes through the environment, where other users cannot read it (a command line they can). */
    private static final String PASSWORD_VARIABLE = "TASKER_BENCH_DATABASE_PASSWORD";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final String workerId;
    private final Thread shutdownHook;

    private WorkerProcess(Process process, Path log, String workerId) {
        this.process = process;
        this.log = log;
        this.workerId = workerId;
        // Closing stdin is enough when the parent exits normally; this covers an exit while it waits.
        this.shutdownHook = Thread.ofPlatform().unstarted(process::destroy);
    }

    /** Starts the child and returns once its worker is running. */
    static WorkerProcess start(DatabaseUrl url, String namespace, int slots) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String workerId = "bench-java-process-" + namespace + "-" + System.nanoTime();
        Path log = Files.createTempFile("tasker-bench-worker-", ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WorkerProcess.class.getName(), url.jdbcUrl(), url.user() == null ? "" : url.user(), namespace,
                Integer.toString(slots), workerId)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove(PASSWORD_VARIABLE);
        if (url.password() != null) {
            builder.environment().put(PASSWORD_VARIABLE, url.password());
        }
        WorkerProcess child = new WorkerProcess(builder.start(), log, workerId);
        Runtime.getRuntime().addShutdownHook(child.shutdownHook);
        try {
            child.awaitReady();
            return child;
        } catch (IOException | InterruptedException | RuntimeException e) {
            child.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!output().contains(READY)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker process exited with status " + process.exitValue()
                        + " before it started; its output:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker process did not start within " + START_TIMEOUT
                        + "; its output:\n" + tail());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private String output() throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    private String tail() throws IOException {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** The worker id the child's worker claims steps with. */
    String workerId() {
        return workerId;
    }

    /** The child, to measure its CPU. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Closes the child's stdin, which stops its worker; kills it when it does not end in time. */
    @Override
    public void close() {
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the child is gone already
            }
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down, and the hook runs anyway
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file; the system cleans its folder
            }
        }
    }

    /**
     * The child: {@code JDBC_URL USER NAMESPACE SLOTS WORKER_ID} (an empty user when the URL
     * carries none), the password in {@value #PASSWORD_VARIABLE}. Runs a Java worker until stdin
     * closes, which happens when the parent closes it or dies.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: WorkerProcess JDBC_URL USER NAMESPACE SLOTS WORKER_ID");
            System.exit(2);
        }
        DatabaseUrl url = new DatabaseUrl(args[0], args[1].isEmpty() ? null : args[1],
                System.getenv(PASSWORD_VARIABLE));
        try (Database database = Database.connect(url, POOL_SIZE);
             JavaWorker ignored = JavaWorker.start(database, List.of(args[2]), Integer.parseInt(args[3]), args[4])) {
            System.out.println(READY);
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
        // Whatever threads a library left behind must not keep an orphan alive.
        System.exit(0);
    }
}
