package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskRequest;
import io.tasker.worker.handler.StepHandlerRegistry;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One throw-away database for a test class, with helpers to register templates, create tasks,
 * start workers and read back what they did. Each test uses namespaces of its own, so tests of a
 * class share the database without seeing each other's steps.
 *
 * <p>A test class holds it as {@code @RegisterExtension static final WorkerFixture fixture = new
 * WorkerFixture();}: the database is created before the class's first test, and the workers are
 * stopped and the database dropped after its last.
 */
final class WorkerFixture implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    /** A step as stored, by the columns tests look at. */
    record StepRow(String name, String state, int attempts, String claimedBy, JsonNode results, JsonNode lastError) {}

    private final List<WorkerSystemHandle> workers = new ArrayList<>();
    private TestDatabase db;
    private TemplateRegistry templates;
    private TaskCreator creator;

    @Override
    public void beforeAll(ExtensionContext context) {
        db = TestDatabases.primary().createDatabase();
        templates = new TemplateRegistry(db.dataSource());
        creator = new TaskCreator(db.dataSource(), templates);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            workers.forEach(WorkerSystemHandle::stop);
        } finally {
            db.close();
        }
    }

    DataSource dataSource() {
        return db.dataSource();
    }

    TestDatabase db() {
        return db;
    }

    static String newNamespace() {
        return "ns_" + NAMESPACES.incrementAndGet();
    }

    /** Registers a template written in YAML; {@code %s} placeholders are filled in order. */
    TaskTemplate register(String yaml, Object... args) {
        TaskTemplate template = TemplateLoader.parse(yaml.formatted(args), "test").orThrow();
        templates.register(template, "test");
        return template;
    }

    /** Creates a task from the newest version of a template; templates used twice need always_unique. */
    UUID createTask(String namespace, String name, String contextJson) {
        CreateTaskResult result = creator.create(TaskRequest.of(namespace, name, Json.parse(contextJson)));
        if (result instanceof CreateTaskResult.Created created) {
            return created.task().id();
        }
        throw new IllegalStateException(namespace + "/" + name + " " + contextJson + " is a duplicate: " + result);
    }

    /** A worker with small, test-friendly timings; the fixture stops it at the end. */
    WorkerSystemHandle start(WorkerConfig.Builder config, StepHandlerRegistry handlers,
            StepExecutionSubscriber... subscribers) {
        WorkerSystemHandle worker = WorkerBootstrap.bootstrap(config.build(), db.database(), handlers,
                List.of(subscribers));
        workers.add(worker);
        return worker;
    }

    static WorkerConfig.Builder config(String namespace) {
        return WorkerConfig.builder().namespaces(namespace).pollInterval(Duration.ofMillis(100))
                .shutdownTimeout(Duration.ofSeconds(10));
    }

    static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
    }

    String taskState(UUID taskId) {
        return Jdbc.withConnection(dataSource(), c -> Jdbc.queryOne(c,
                "select state from tasker_tasks where id = ?", row -> row.getString(1), taskId)).orElseThrow();
    }

    void awaitTaskState(UUID taskId, String state) {
        eventually().untilAsserted(() -> assertThat(taskState(taskId)).isEqualTo(state));
    }

    /** The task's steps by name. */
    Map<String, StepRow> steps(UUID taskId) {
        List<StepRow> rows = Jdbc.withConnection(dataSource(), c -> Jdbc.query(c, """
                select name, state, attempts, claimed_by, results::text, last_error::text
                  from tasker_steps where task_id = ? order by name
                """, row -> new StepRow(row.getString(1), row.getString(2), row.getInt(3), row.getString(4),
                Json.parse(row.getString(5)), Json.parse(row.getString(6))), taskId));
        Map<String, StepRow> steps = new LinkedHashMap<>();
        rows.forEach(row -> steps.put(row.name(), row));
        return steps;
    }

    StepRow step(UUID taskId, String name) {
        return steps(taskId).get(name);
    }

    /** How many steps of a namespace are in {@code state}. */
    int countSteps(String namespace, String state) {
        return Jdbc.withConnection(dataSource(), c -> Jdbc.queryOne(c,
                "select count(*) from tasker_steps where namespace = ? and state = ?", row -> row.getInt(1),
                namespace, state)).orElseThrow();
    }
}
