package io.tasker.worker;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import io.tasker.worker.handler.CursorConfig;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker in a JVM of its own that a test can kill with {@code kill -9}
 * ({@link Process#destroyForcibly()}), running a batch whose workers checkpoint ({@link Split},
 * {@link RecordingSum}, {@link AddUp}): {@link #start} launches it
 * on the test's classpath and returns once its worker runs; {@link #main} is the child's side.
 */
final class CheckpointingWorkerProcess implements AutoCloseable {
    private static final String READY = "checkpointing worker ready";
    private static final String PASSWORD_VARIABLE = "TASKER_TEST_WORKER_PASSWORD";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** Where every processed item is written, with the process that processed it. */
    static final String ITEMS_TABLE = """
            create table if not exists checkpoint_test_items (
                task_id uuid not null, item int not null, pid bigint not null, at timestamptz not null default now())
            """;

    /** The database {@link RecordingSum} writes its items to; set by whoever runs it. */
    static volatile DataSource items;

    /** The batchable step: the task's {@code total} items in {@code batches} batches. */
    public static final class Split implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            long total = context.taskContext().path("total").asLong();
            return StepHandlerResult.batches("sum_items",
                    CursorConfig.ranges(total, context.taskContext().path("batches").asInt()), total, Map.of());
        }
    }

    /** The convergence step: adds up the batches' sums. */
    public static final class AddUp implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            long sum = context.dependencyResults().entrySet().stream()
                    .filter(result -> result.getKey().startsWith("sum_items_"))
                    .mapToLong(result -> result.getValue().path("sum").asLong()).sum();
            return StepHandlerResult.success(Map.of("sum", sum));
        }
    }

    /**
     * A batch worker: sums the items of its batch, writing each one, with its process id, to
     * {@code checkpoint_test_items} as it goes, slowly ({@code item_ms} per item), and yields a
     * checkpoint every checkpoint_interval items.
     */
    public static final class RecordingSum implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) throws Exception {
            StepContext.BatchWorker batch = context.batch();
            long start = batch.startCursor();
            long end = batch.endCursor();
            long every = batch.checkpointInterval();
            long itemMillis = context.taskContext().path("item_ms").asLong();
            StepContext.Checkpoint saved = context.checkpoint();
            long from = saved == null ? start : saved.cursor().asLong();
            long sum = saved == null ? 0 : saved.accumulatedResults().path("sum").asLong();
            long to = Math.min(from + every, end);
            long pid = ProcessHandle.current().pid();
            for (long item = from; item < to; item++) {
                long written = item;
                Jdbc.withConnection(items, c -> Jdbc.update(c,
                        "insert into checkpoint_test_items (task_id, item, pid) values (?, ?, ?)",
                        context.taskUuid(), (int) written, pid));
                sum += item;
                TimeUnit.MILLISECONDS.sleep(itemMillis);
            }
            return to < end ? StepHandlerResult.checkpoint(to, to - start, Map.of("sum", sum))
                    : StepHandlerResult.success(Map.of("sum", sum, "items", end - start));
        }
    }

    static StepHandlerRegistry handlers() {
        return new StepHandlerRegistry().register(Split.class).register(RecordingSum.class).register(AddUp.class);
    }

    private final Process process;
    private final Path log;

    private CheckpointingWorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a child running a worker of {@code namespace} with a lease of {@code lease}. */
    static CheckpointingWorkerProcess start(DatabaseUrl url, String namespace, Duration lease)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = Files.createTempFile("tasker-checkpointing-worker-", ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CheckpointingWorkerProcess.class.getName(), url.jdbcUrl(), url.user() == null ? "" : url.user(),
                namespace, Long.toString(lease.toMillis()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove(PASSWORD_VARIABLE);
        if (url.password() != null) {
            builder.environment().put(PASSWORD_VARIABLE, url.password());
        }
        CheckpointingWorkerProcess child = new CheckpointingWorkerProcess(builder.start(), log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!child.output().contains(READY)) {
            if (!child.process.isAlive() || System.nanoTime() > deadline) {
                child.close();
                throw new IllegalStateException("the worker process did not start; its output:\n" + child.output());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return child;
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: the worker gets no chance to release its steps or record anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the worker process " + process.pid() + " did not die");
        }
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(log);
    }

    /** The child: {@code JDBC_URL USER NAMESPACE LEASE_MS}, the password in the environment. Runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        DatabaseUrl url = new DatabaseUrl(args[0], args[1].isEmpty() ? null : args[1],
                System.getenv(PASSWORD_VARIABLE));
        Database database = Database.connect(url, 4);
        items = database.dataSource();
        Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
        WorkerBootstrap.bootstrap(WorkerConfig.builder().namespaces(List.of(args[2])).lease(lease)
                .heartbeatInterval(lease.dividedBy(4)).pollInterval(Duration.ofMillis(100)).build(), database,
                handlers());
        System.out.println(READY);
        Thread.currentThread().join();
    }
}
