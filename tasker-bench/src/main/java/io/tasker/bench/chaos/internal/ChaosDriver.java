package io.tasker.bench.chaos.internal;

import io.tasker.bench.chaos.ChaosOptions;
import io.tasker.bench.chaos.ChaosReport;
import io.tasker.bench.chaos.internal.ChaosData.AttemptRow;
import io.tasker.bench.chaos.internal.ChaosData.PlannedTask;
import io.tasker.core.db.Database;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs a chaos run: writes the chaos templates and Ruby handlers into the run folder, starts
 * PostgreSQL, a server and the workers, creates the tasks through the API while it does the
 * faults one after another (each thing it hit is back before the next), waits for every task to
 * finish, stops everything with SIGTERM, and checks the database and the journals.
 */
public final class ChaosDriver {
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Without faults, tasks are created over this. */
    private static final Duration NO_FAULT_SPREAD = Duration.ofSeconds(10);
    private static final String RUBY_HANDLER = "tasker/chaos/chaos_step.rb";

    private final ChaosOptions options;
    private final PrintWriter progress;
    private final long startNanos = System.nanoTime();
    private final long startMicros = Journal.nowMicros();
    private final long deadlineNanos;
    private final Random random;
    private final AtomicInteger faultsDone = new AtomicInteger();
    private final AtomicReference<String> lastFault = new AtomicReference<>("none yet");

    private ChaosDriver(ChaosOptions options, PrintWriter progress) {
        this.options = options;
        this.progress = progress;
        this.deadlineNanos = startNanos + options.timeout().toNanos();
        this.random = new Random(options.seed());
    }

    /** Runs the chaos run {@code options} describe, telling {@code progress} how it goes. */
    public static ChaosReport run(ChaosOptions options, PrintWriter progress) throws IOException, InterruptedException {
        return new ChaosDriver(options, progress).run();
    }

    private ChaosReport run() throws IOException, InterruptedException {
        boolean temporary = options.folder() == null;
        Path folder = temporary ? Files.createTempDirectory("tasker-chaos-")
                : Files.createDirectories(options.folder()).toAbsolutePath();
        List<PlannedTask> planned = plan();
        List<FaultKind> faultPlan = faultPlan();
        say("run folder %s, seed %d: %d tasks, %d worker processes, %d faults", folder, options.seed(),
                planned.size(), options.workers(), faultPlan.size());

        Postgres postgres = Postgres.start(folder.resolve("postgres"));
        Cluster cluster = new Cluster(folder, postgres, options, freePort());
        Thread cleanup = Thread.ofPlatform().unstarted(() -> {
            cluster.close();
            postgres.close();
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("chaos-progress").factory());
        try (Database database = Database.connect(postgres.url(), 2)) {
            cluster.prepareFolders();
            writeHandlersAndTemplates(cluster);
            // Migrated here, so the server and the workers can start at once; the server's own migration finds
            // nothing left to do.
            database.migrate();
            say("PostgreSQL on %s; starting the server and %d workers", postgres.url(), options.workers());
            cluster.start();

            TaskFeeder feeder = new TaskFeeder(cluster.apiUrl(), planned, deadlineNanos);
            int batches = faultPlan.size() + 1;
            feeder.release(planned.size() / batches, faultPlan.isEmpty() ? NO_FAULT_SPREAD : options.faultEvery());
            Thread feeding = Thread.ofPlatform().name("chaos-feeder").start(feeder);
            ticker.scheduleAtFixedRate(() -> tick(database, feeder, planned.size(), faultPlan.size()),
                    PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            List<Fault> faults = new ArrayList<>();
            for (FaultKind kind : faultPlan) {
                if (!pause(cluster, options.faultEvery().toMillis() / 2
                        + (long) (random.nextDouble() * options.faultEvery().toMillis()))) {
                    break;
                }
                Fault fault = cluster.apply(faults.size() + 1, kind, random);
                faults.add(fault);
                faultsDone.incrementAndGet();
                feeder.release((int) ((long) planned.size() * (faults.size() + 1) / batches), options.faultEvery());
                lastFault.set(kind.label() + (fault.pid() == 0 ? "" : ": " + fault.target()));
            }
            feeder.release(planned.size(), options.faultEvery());
            feeding.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            feeding.interrupt();
            feeding.join();
            awaitTasksFinished(cluster, database, feeder);
            ticker.shutdownNow();

            say("stopping the workers (SIGTERM)");
            cluster.stop();
            long endMicros = Journal.nowMicros();
            Snapshot snapshot = Snapshot.read(database.dataSource());
            say("stopping the server (SIGTERM) and PostgreSQL");
            cluster.stopServer();
            database.close();
            postgres.close();

            List<Execution> executions = ExecutionRecords.read(cluster.journalFolder());
            ChaosData data = new ChaosData(feeder.outcome(), snapshot.tasks(), snapshot.steps(), snapshot.attempts(),
                    snapshot.transitions(), executions, cluster.lives(), faults, options.lease().toNanos() / 1000,
                    options.shutdownTimeout().toNanos() / 1000, endMicros);
            Verdict verdict = ChaosCheck.check(data);
            List<String> problems = new ArrayList<>(cluster.problems());
            problems.addAll(feeder.problems());
            ChaosReport report = report(folder, faults, verdict, snapshot.attempts(), problems);
            boolean remove = temporary && report.passed() && !options.keep();
            if (remove) {
                deleteTree(folder);
                report = withoutFolder(report);
            } else {
                Files.writeString(folder.resolve("report.txt"), report.format(Integer.MAX_VALUE));
            }
            return report;
        } finally {
            ticker.shutdownNow();
            cluster.close();
            postgres.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will; it does the same
            }
        }
    }

    /** The tasks, round-robin over the workflows and the two languages, each with a random input. */
    private List<PlannedTask> plan() {
        List<PlannedTask> tasks = new ArrayList<>(options.tasks());
        int workflows = Workflow.ALL.size();
        for (int n = 0; n < options.tasks(); n++) {
            String namespace = (n / workflows) % 2 == 0 ? Workflow.JAVA_NAMESPACE : Workflow.RUBY_NAMESPACE;
            long input = 1 + Math.floorMod(random.nextLong(), Workflow.MODULUS - 1);
            tasks.add(new PlannedTask(n, namespace, Workflow.ALL.get(n % workflows), input, null));
        }
        return tasks;
    }

    private List<FaultKind> faultPlan() {
        List<FaultKind> plan = new ArrayList<>();
        for (int round = 0; round < options.rounds(); round++) {
            List<FaultKind> kinds = new ArrayList<>(List.of(FaultKind.values()));
            Collections.shuffle(kinds, random);
            plan.addAll(kinds);
        }
        return plan;
    }

    private void writeHandlersAndTemplates(Cluster cluster) throws IOException {
        for (Workflow workflow : Workflow.ALL) {
            Files.writeString(cluster.templateFolder().resolve(workflow.name() + ".yaml"),
                    workflow.template(Workflow.JAVA_NAMESPACE, Workflow.JAVA_CALLABLE));
            Files.writeString(cluster.rubyFolder().resolve(workflow.name() + ".yaml"),
                    workflow.template(Workflow.RUBY_NAMESPACE, Workflow.RUBY_CALLABLE));
        }
        try (InputStream handler = ChaosDriver.class.getClassLoader().getResourceAsStream(RUBY_HANDLER)) {
            if (handler == null) {
                throw new IllegalStateException(RUBY_HANDLER + " is missing from the classpath");
            }
            Files.copy(handler, cluster.rubyFolder().resolve("chaos_step.rb"));
        }
    }

    /** Waits {@code millis}, restarting crashed processes meanwhile; false when the deadline passed. */
    private boolean pause(Cluster cluster, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            cluster.reviveCrashed();
            long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
            TimeUnit.MILLISECONDS.sleep(Math.min(250, Math.max(1, left)));
        }
        return true;
    }

    private void awaitTasksFinished(Cluster cluster, Database database, TaskFeeder feeder) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            Map<String, Integer> states = states(database);
            int open = states.getOrDefault("pending", 0) + states.getOrDefault("in_progress", 0);
            if (open == 0 && states.values().stream().mapToInt(Integer::intValue).sum() >= feeder.created()) {
                return;
            }
            pause(cluster, 1_000);
        }
        say("the deadline (%s) passed with tasks still open", options.timeout());
    }

    private static Map<String, Integer> states(Database database) {
        try {
            return Snapshot.taskStates(database.dataSource());
        } catch (RuntimeException unavailable) {
            return Map.of("pending", 1);
        }
    }

    private void tick(Database database, TaskFeeder feeder, int tasks, int faults) {
        String done;
        try {
            done = Snapshot.taskStates(database.dataSource()).getOrDefault("complete", 0) + " of " + tasks
                    + " tasks complete";
        } catch (RuntimeException unavailable) {
            done = "database unavailable";
        }
        say("%s, %d created; faults %d of %d (last: %s)", done, feeder.created(), faultsDone.get(), faults,
                lastFault.get());
    }

    private ChaosReport report(Path folder, List<Fault> faults, Verdict verdict, List<AttemptRow> attempts,
                               List<String> problems) {
        List<ChaosReport.FaultEvent> events = faults.stream().map(f -> new ChaosReport.FaultEvent(f.id(),
                f.kind().label(), f.target(), Duration.ofNanos((f.atMicros() - startMicros) * 1000),
                Duration.ofNanos((f.recoveredMicros() - f.atMicros()) * 1000),
                verdict.reExecutionsByFault().getOrDefault(f.id(), 0))).toList();
        List<ChaosReport.Count> causes = Stream.of(Cause.values()).filter(verdict.reExecutions()::containsKey)
                .map(c -> new ChaosReport.Count(c.description(), verdict.reExecutions().get(c))).toList();
        Map<String, Integer> reasons = new TreeMap<>();
        attempts.forEach(a -> reasons.merge(a.reason() != null ? a.reason() : a.outcome(), 1, Integer::sum));
        List<ChaosReport.Count> history = reasons.entrySet().stream()
                .map(e -> new ChaosReport.Count(e.getKey(), e.getValue())).toList();
        return new ChaosReport(options, Duration.ofNanos(System.nanoTime() - startNanos), folder, verdict.tasks(),
                verdict.completed(), verdict.steps(), verdict.executions(), events, verdict.findings(), causes, history,
                problems);
    }

    private static ChaosReport withoutFolder(ChaosReport r) {
        return new ChaosReport(r.options(), r.duration(), null, r.tasks(), r.completed(), r.steps(), r.executions(),
                r.faults(), r.findings(), r.reExecutions(), r.attemptHistory(), r.problems());
    }

    private void say(String format, Object... args) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        progress.println("chaos " + String.format("%3d:%02d", elapsed.toMinutes(), elapsed.toSecondsPart()) + "  "
                + format.formatted(args));
        progress.flush();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A temporary folder; what is left the system cleans.
        }
    }
}
