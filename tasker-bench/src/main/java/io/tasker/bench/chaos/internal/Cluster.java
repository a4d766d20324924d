package io.tasker.bench.chaos.internal;

import io.tasker.bench.chaos.ChaosOptions;
import io.tasker.core.db.DatabaseUrl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The processes of a chaos run and the faults done to them: its PostgreSQL, one {@code tasker
 * server} and the {@code tasker worker}s, each started as a user would start it, restarted by the
 * driver after each fault, and stopped with SIGTERM at the end. It keeps the life of every
 * process (when it started and ended, and how) for the checks, and what went wrong with the
 * processes themselves as problems.
 */
final class Cluster implements AutoCloseable {
    static final String SERVER_READY = "Tasker server is ready.";
    static final String WORKER_READY = "Tasker worker is ready.";
    /** JRuby starts in a few seconds on a quiet machine; on a busy one with several JVMs starting, far slower. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** Beyond a worker's shutdown timeout: what the command itself allows for its last recordings. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(45);

    private final Path folder;
    private final Postgres postgres;
    private final ChaosOptions options;
    private final int apiPort;
    private final List<ProcessLife> lives = new ArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private ChildProcess server;
    private final ChildProcess[] workers;
    private int generation;

    Cluster(Path folder, Postgres postgres, ChaosOptions options, int apiPort) {
        this.folder = folder;
        this.postgres = postgres;
        this.options = options;
        this.apiPort = apiPort;
        this.workers = new ChildProcess[options.workers()];
    }

    String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** Starts the server and every worker at once (the schema must be migrated), and waits until they are ready. */
    void start() throws InterruptedException {
        server = launch("server", serverArgs());
        for (int i = 0; i < workers.length; i++) {
            workers[i] = launch(workerRole(i), workerArgs());
        }
        server.awaitOutput(SERVER_READY, START_TIMEOUT);
        for (ChildProcess worker : workers) {
            worker.awaitOutput(WORKER_READY, START_TIMEOUT);
        }
    }

    Fault apply(int id, FaultKind kind, Random random) throws InterruptedException, IOException {
        long at = Journal.nowMicros();
        return switch (kind) {
            case WORKER_KILL -> {
                int index = random.nextInt(workers.length);
                ChildProcess victim = workers[index];
                victim.note("kill -9 (fault " + id + ")");
                long gone = victim.kill();
                ended(victim, gone, ProcessLife.Ending.KILLED, id);
                workers[index] = relaunch(index);
                yield new Fault(id, kind, target(victim), victim.pid(), at, Journal.nowMicros());
            }
            case WORKER_TERM -> {
                int index = random.nextInt(workers.length);
                ChildProcess victim = workers[index];
                victim.note("SIGTERM (fault " + id + ")");
                stopGracefully(victim, ProcessLife.Ending.TERMINATED, id);
                workers[index] = relaunch(index);
                yield new Fault(id, kind, target(victim), victim.pid(), at, Journal.nowMicros());
            }
            case SERVER_KILL -> {
                ChildProcess victim = server;
                victim.note("kill -9 (fault " + id + ")");
                ended(victim, victim.kill(), ProcessLife.Ending.KILLED, id);
                server = launch("server", serverArgs());
                server.awaitOutput(SERVER_READY, START_TIMEOUT);
                yield new Fault(id, kind, target(victim), victim.pid(), at, Journal.nowMicros());
            }
            case POSTGRES_RESTART -> {
                postgres.restart();
                yield new Fault(id, kind, "PostgreSQL", 0, at, Journal.nowMicros());
            }
            case POSTGRES_CRASH -> {
                postgres.stopImmediatelyAndStart();
                yield new Fault(id, kind, "PostgreSQL", 0, at, Journal.nowMicros());
            }
        };
    }

    /**
     * Restarts any process that ended without the driver's doing (a crash, which is a problem in
     * itself); called between faults.
     */
    void reviveCrashed() throws InterruptedException {
        if (!server.isAlive()) {
            crashed(server);
            server = launch("server", serverArgs());
            server.awaitOutput(SERVER_READY, START_TIMEOUT);
        }
        for (int i = 0; i < workers.length; i++) {
            if (!workers[i].isAlive()) {
                crashed(workers[i]);
                workers[i] = relaunch(i);
            }
        }
    }

    private void crashed(ChildProcess process) {
        ended(process, Journal.nowMicros(), ProcessLife.Ending.EXITED, 0);
        problems.add(target(process) + " exited by itself with status " + process.exitValue() + "; see "
                + process.log());
    }

    /** SIGTERM to every worker at once; each must say "stopped" and exit 0. */
    void stop() throws InterruptedException {
        List<ChildProcess> running = Arrays.stream(workers).filter(w -> w != null && w.isAlive()).toList();
        for (ChildProcess worker : running) {
            worker.note("SIGTERM (end of the run)");
            worker.signalTerm();
        }
        for (ChildProcess worker : running) {
            stopGracefully(worker, ProcessLife.Ending.STOPPED, 0);
        }
    }

    void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.note("SIGTERM (end of the run)");
            stopGracefully(server, ProcessLife.Ending.STOPPED, 0);
        }
    }

    /** SIGTERM (again, for one already told: harmless) and waits for the exit, which must be clean. */
    private void stopGracefully(ChildProcess process, ProcessLife.Ending ending, int fault)
            throws InterruptedException {
        Duration patience = options.shutdownTimeout().plus(STOP_MARGIN);
        if (!process.terminate(patience)) {
            problems.add(target(process) + " did not exit within " + patience.toSeconds() + " s of SIGTERM; "
                    + "killed; see " + process.log());
            ended(process, process.kill(), ending, fault);
            return;
        }
        ended(process, Journal.nowMicros(), ending, fault);
        String output = process.output();
        if (process.exitValue() != 0) {
            problems.add(target(process) + " exited with status " + process.exitValue() + " after SIGTERM, not 0; "
                    + "see " + process.log());
        } else if (!output.strip().endsWith("stopped")) {
            problems.add(target(process) + " exited after SIGTERM without printing 'stopped' last; see "
                    + process.log());
        }
    }

    private ChildProcess relaunch(int index) throws InterruptedException {
        ChildProcess worker = launch(workerRole(index), workerArgs());
        worker.awaitOutput(WORKER_READY, START_TIMEOUT);
        return worker;
    }

    private ChildProcess launch(String role, List<String> args) {
        generation++;
        ChildProcess process = ChildProcess.start(role, args, folder.resolve("logs")
                        .resolve(String.format("%02d-%s.log", generation, role)),
                Map.of(Journal.FOLDER_VARIABLE, journalFolder().toString(), "TASKER_DATABASE_URL", databaseUrl()));
        lives.add(new ProcessLife(role, process.pid(), process.startedMicros(), null, ProcessLife.Ending.RUNNING, 0));
        return process;
    }

    private void ended(ChildProcess process, long atMicros, ProcessLife.Ending how, int fault) {
        for (int i = 0; i < lives.size(); i++) {
            if (lives.get(i).pid() == process.pid()) {
                lives.set(i, lives.get(i).ended(atMicros, how, fault));
            }
        }
    }

    Path journalFolder() {
        return folder.resolve("journal");
    }

    Path templateFolder() {
        return folder.resolve("templates");
    }

    Path rubyFolder() {
        return folder.resolve("ruby");
    }

    /**
     * The database, password included, for the children's environment: a command line is visible
     * to every user of the machine, a process's environment only to its owner.
     */
    private String databaseUrl() {
        DatabaseUrl url = postgres.url();
        String hostAndPath = url.jdbcUrl().substring("jdbc:postgresql://".length());
        return "postgresql://" + URLEncoder.encode(url.user(), StandardCharsets.UTF_8)
                + (url.password() == null ? "" : ":" + URLEncoder.encode(url.password(), StandardCharsets.UTF_8))
                + "@" + hostAndPath;
    }

    private List<String> serverArgs() {
        return List.of("server", "--port", Integer.toString(apiPort),
                "--templates", templateFolder().toString(), "--templates", rubyFolder().toString());
    }

    private List<String> workerArgs() {
        return List.of("worker", "--templates", templateFolder().toString(),
                "--ruby-handlers", rubyFolder().toString(),
                "--lease", options.lease().toMillis() + "ms",
                "--shutdown-timeout", options.shutdownTimeout().toMillis() + "ms");
    }

    private static String workerRole(int index) {
        return "worker-" + (index + 1);
    }

    private static String target(ChildProcess process) {
        return process.role() + " (pid " + process.pid() + ")";
    }

    List<ProcessLife> lives() {
        return List.copyOf(lives);
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Makes the folders the processes read and write. */
    void prepareFolders() {
        try {
            Files.createDirectories(folder.resolve("logs"));
            Files.createDirectories(journalFolder());
            Files.createDirectories(templateFolder());
            Files.createDirectories(rubyFolder());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folders of the chaos run in " + folder, e);
        }
    }

    /** Kills whatever still runs: the run failed or was interrupted. */
    @Override
    public void close() {
        List<ChildProcess> all = new ArrayList<>(List.of(workers));
        all.add(server);
        for (ChildProcess process : all) {
            if (process != null && process.isAlive()) {
                try {
                    ended(process, process.kill(), ProcessLife.Ending.KILLED, 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
