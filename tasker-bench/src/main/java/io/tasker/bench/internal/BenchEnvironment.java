package io.tasker.bench.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.dev.EmbeddedDatabase;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskRequest;
import io.tasker.worker.LocalWorkers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The database and the server side the scenarios share, assembled as {@code tasker dev} assembles
 * them: one pool, the schema migrated, the templates registered, the orchestrator's pollers and
 * sweepers running. Workers are each scenario's own, so each can choose their size.
 *
 * <p>The embedded PostgreSQL runs with the same durability as {@code tasker dev} (fsync and
 * synchronous commit on): a benchmark of a configuration nobody runs would flatter every number.
 */
public final class BenchEnvironment implements AutoCloseable {
    /** As {@code tasker dev}: the API and a worker share it. */
    static final int POOL_SIZE = 20;

    private final Database database;
    private final String description;
    /** The embedded server's data folder; null on an external PostgreSQL. */
    private final Path embeddedData;
    private final TaskCreator creator;
    private final Deque<AutoCloseable> running;
    /** Makes every task's context, and so its identity, new: the examples refuse a second task with the same one. */
    private final String runId = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private final StatementStats statements;
    /** Steps per task of each registered workflow, from its template. */
    private final Map<Workflow, Integer> steps;

    private BenchEnvironment(Database database, String description, Path embeddedData,
            Deque<AutoCloseable> running, Map<Workflow, Integer> steps) {
        this.database = database;
        this.steps = Map.copyOf(steps);
        this.description = description;
        this.embeddedData = embeddedData;
        this.creator = new TaskCreator(database.dataSource(), new TemplateRegistry(database.dataSource()),
                LocalWorkers.inThisProcess());
        this.running = running;
        this.statements = StatementStats.on(database);
    }

    /** Starts on {@code databaseUrl}, or on an embedded PostgreSQL in a temporary folder when it is null. */
    public static BenchEnvironment start(String databaseUrl, Progress progress) {
        Deque<AutoCloseable> running = new ArrayDeque<>();
        try {
            DatabaseUrl url;
            String description;
            Path embeddedData = null;
            if (databaseUrl == null) {
                Path folder = Files.createTempDirectory("tasker-bench-");
                running.push(() -> deleteTree(folder));
                progress.line("starting the embedded PostgreSQL in %s", folder);
                // pg_stat_statements, to see what each statement costs and that hot ones are planned once.
                EmbeddedDatabase embedded = EmbeddedDatabase.start(folder, 0, true, Map.of(
                        "shared_preload_libraries", "pg_stat_statements",
                        "pg_stat_statements.track", "all",
                        "pg_stat_statements.track_planning", "on",
                        "track_wal_io_timing", "on"));
                running.push(embedded);
                url = embedded.url();
                embeddedData = embedded.dataDirectory();
                description = "embedded PostgreSQL";
            } else {
                url = DatabaseUrl.parse(databaseUrl);
                description = "PostgreSQL at " + url;
            }
            Database database = Database.connect(url, POOL_SIZE);
            running.push(database);
            database.migrate();
            description += " " + serverVersion(database);
            TemplateRegistry registry = new TemplateRegistry(database.dataSource());
            Map<Workflow, Integer> steps = new HashMap<>();
            for (Workflow workflow : Workflow.ALL) {
                String resource = workflow.resource();
                TaskTemplate template = TemplateLoader.parse(resource(resource), "classpath:" + resource).orThrow();
                registry.register(template, "classpath:" + resource);
                steps.put(workflow, template.steps().size());
            }
            running.push(Orchestrator.start(database.dataSource(), OrchestratorOptions.DEFAULTS));
            progress.line("running on %s", description);
            return new BenchEnvironment(database, description, embeddedData, running, steps);
        } catch (IOException e) {
            closeAll(running);
            throw new UncheckedIOException("cannot create a folder for the embedded PostgreSQL", e);
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    private static String serverVersion(Database database) {
        try (Connection c = database.connection(); Statement s = c.createStatement();
             var rows = s.executeQuery("select current_setting('server_version'), current_setting('fsync'), "
                     + "current_setting('synchronous_commit')")) {
            rows.next();
            return rows.getString(1) + " (fsync " + rows.getString(2) + ", synchronous_commit " + rows.getString(3) + ")";
        } catch (SQLException e) {
            return "(version unknown)";
        }
    }

    static String resource(String name) {
        try (InputStream in = BenchEnvironment.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    public Database database() {
        return database;
    }

    /** How many steps each task of {@code workflow} has. */
    int steps(Workflow workflow) {
        Integer count = steps.get(workflow);
        if (count == null) {
            throw new IllegalArgumentException(workflow + " is not registered; add it to Workflow.ALL");
        }
        return count;
    }

    /**
     * A connection of its own, outside the pool, for work that must not take a worker's
     * connection or that holds its session (a LISTEN, the commit-limit clients, a COPY).
     */
    Connection connect(String applicationName) throws SQLException {
        return connect(database.url(), applicationName);
    }

    static Connection connect(DatabaseUrl url, String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url.jdbcUrl(), properties);
    }

    /** Which PostgreSQL, for the report. */
    public String description() {
        return description;
    }

    /**
     * Gives the planner statistics on the tables the warmup filled, as autovacuum gives a database
     * in use. Without them it plans for the empty tables it last saw, and some statements then
     * scan whole tables; the timed part would measure that accident instead of the warm system.
     */
    void analyze() {
        try (Connection c = database.connection(); Statement statement = c.createStatement()) {
            statement.execute("analyze tasker_tasks, tasker_steps, tasker_task_transitions, tasker_step_attempts");
        } catch (SQLException e) {
            throw new DatabaseException("cannot analyze the tasker tables: " + e.getMessage(), e);
        }
    }

    /** Forgets the statement statistics, so the next report covers what runs from now on. */
    public void resetStatements() {
        statements.reset();
    }

    /** Writes the statements that cost PostgreSQL the most since the last reset, with their plan counts. */
    public void reportStatements(Progress progress, int limit) {
        progress.line("%s", statements.wal());
        for (StatementStats.Statement s : statements.top(limit)) {
            progress.line("statement: %d calls, %d plans, %.1f ms exec (%.3f ms/call), %.1f ms planning: %s",
                    s.calls(), s.plans(), s.execMillis(), s.execMillis() / Math.max(1, s.calls()), s.planMillis(),
                    s.query());
        }
    }

    /** Starts measuring the CPU time of this JVM and, when embedded, of PostgreSQL. */
    CpuMeter cpuMeter() {
        return CpuMeter.start(embeddedData);
    }

    /** As {@link #cpuMeter()}, adding the CPU of worker processes this JVM started. */
    CpuMeter cpuMeter(List<ProcessHandle> otherWorkers) {
        return CpuMeter.start(embeddedData, otherWorkers);
    }

    /** Sees each task's end at its commit; for one task at a time (see {@link CompletionWatch}). */
    CompletionWatch watchCompletions() {
        return CompletionWatch.start(database);
    }

    /** Sees each task's end within {@link CompletionPoller#INTERVAL}; for many tasks in flight. */
    CompletionPoller pollCompletions() {
        return CompletionPoller.start(database);
    }

    /**
     * Creates a new task of {@code workflow} in-process (even_number 6, so 6^16 at the end of the
     * linear one) and returns its id once the creating transaction committed.
     */
    UUID createTask(Workflow workflow) {
        return createTask(workflow, taskContext());
    }

    /** As {@link #createTask(Workflow)}, with {@code fields} in the context beside those that make it unique. */
    UUID createTask(Workflow workflow, Map<String, Object> fields) {
        ObjectNode context = taskContext();
        context.setAll(Json.MAPPER.<ObjectNode>valueToTree(fields));
        return createTask(workflow, context);
    }

    private UUID createTask(Workflow workflow, ObjectNode context) {
        return switch (creator.start(TaskRequest.of(workflow.namespace(), workflow.name(), context))) {
            case CreateTaskResult.Created created -> created.taskId();
            case CreateTaskResult.Duplicate duplicate -> throw new IllegalStateException("task "
                    + duplicate.existingTaskId() + " already had this context; the run id should have prevented it");
        };
    }

    /**
     * The context of a new task of any of the example workflows (they all ask for even_number
     * only); unique, so its identity is.
     */
    ObjectNode taskContext() {
        return Json.MAPPER.createObjectNode()
                .put("even_number", 6)
                .put("bench_run", runId)
                .put("bench_task", sequence.incrementAndGet());
    }

    @Override
    public void close() {
        closeAll(running);
    }

    private static void closeAll(Deque<AutoCloseable> running) {
        RuntimeException failure = null;
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
