package io.tasker.ruby;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.StepView;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskRequest;
import io.tasker.orchestration.TaskView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * The database the Ruby integration tests run their workers on, one per JVM, with the few
 * operations they need from Java: register a template, create a task, read it back. Ruby reaches
 * it as {@code Java::IoTaskerRuby::RubyTestDatabase.instance}; values cross as Strings and JSON.
 */
public final class RubyTestDatabase {
    private static final Set<String> FINISHED = Set.of("complete", "error", "cancelled", "resolved_manually");
    private static RubyTestDatabase instance;

    private final TestDatabase database;
    private final TemplateRegistry templates;
    private final TaskCreator creator;
    private final TaskQueries queries;

    private RubyTestDatabase(TestDatabase database) {
        this.database = database;
        this.templates = new TemplateRegistry(database.dataSource());
        this.creator = new TaskCreator(database.dataSource(), templates);
        this.queries = new TaskQueries(database.dataSource());
    }

    public static synchronized RubyTestDatabase instance() {
        if (instance == null) {
            TestDatabase db = TestDatabases.primary().createDatabase();
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "ruby-test-database-drop"));
            instance = new RubyTestDatabase(db);
        }
        return instance;
    }

    /** The URL a worker connects with, as {@code bootstrap_worker} takes it. */
    public String url() {
        DatabaseUrl url = database.database().url();
        StringBuilder out = new StringBuilder(url.jdbcUrl());
        char separator = url.jdbcUrl().contains("?") ? '&' : '?';
        if (url.user() != null) {
            out.append(separator).append("user=").append(encode(url.user()));
            separator = '&';
        }
        if (url.password() != null) {
            out.append(separator).append("password=").append(encode(url.password()));
        }
        return out.toString();
    }

    public void registerTemplate(String yaml) {
        templates.register(TemplateLoader.parse(yaml, "ruby-test").orThrow(), "ruby-test");
    }

    /** Creates a task of the newest version of {@code namespace/name}; returns its id. */
    public String createTask(String namespace, String name, String contextJson) {
        CreateTaskResult result = creator.create(TaskRequest.of(namespace, name, Json.parse(contextJson)));
        if (result instanceof CreateTaskResult.Created created) {
            return created.task().id().toString();
        }
        throw new IllegalStateException("task already exists: " + result);
    }

    /**
     * The task and its steps as JSON: ids, types, states, what each waits for, the decision that
     * created it, attempts, results and last errors.
     */
    public String taskJson(String taskId) {
        TaskView task = task(taskId);
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("id", task.id().toString())
                .put("state", task.state().dbValue());
        ArrayNode steps = json.putArray("steps");
        for (StepView step : task.steps()) {
            ObjectNode s = steps.addObject()
                    .put("id", step.id().toString())
                    .put("name", step.name())
                    .put("type", step.type())
                    .put("state", step.state().dbValue())
                    .put("createdBy", step.createdBy())
                    .put("attempts", step.attempts());
            step.dependsOn().forEach(s.putArray("dependsOn")::add);
            s.set("results", step.results());
            s.set("lastError", step.lastError());
        }
        return Json.write(json);
    }

    /** The checkpoint a step of the task saved, as JSON; "null" when none. */
    public String stepCheckpoint(String taskId, String stepName) {
        return Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c,
                "select checkpoint::text from tasker_steps where task_id = ? and name = ?",
                row -> String.valueOf(row.getString(1)), UUID.fromString(taskId), stepName)).orElse("null");
    }

    /** Waits until the task is finished or {@code timeoutMillis} pass; returns its state. */
    public String awaitFinished(String taskId, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMillis).toNanos();
        String state = task(taskId).state().dbValue();
        while (!FINISHED.contains(state) && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            state = task(taskId).state().dbValue();
        }
        return state;
    }

    /**
     * Makes retries whose time has come claimable, as orchestration's retry poller does; the Ruby
     * tests run no orchestrator, so one that needs retries steps them by hand.
     */
    public int enqueueDueRetries() {
        return StepQueue.enqueueDueRetries(database.dataSource(), 100);
    }

    private TaskView task(String taskId) {
        return queries.find(UUID.fromString(taskId)).orElseThrow(() -> new IllegalArgumentException("no task " + taskId));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
