package io.tasker.server;

import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.server.node.ClasspathTemplates;
import io.tasker.server.node.TaskerNode;

import java.util.List;

/**
 * Tasker as {@code tasker dev} runs it, on a throw-away database: the example templates
 * registered, the orchestrator, a worker with the handlers found through ServiceLoader, and the
 * REST API on a free loopback port.
 */
public final class RunningTasker implements AutoCloseable {
    private final TestDatabase database;
    private final TaskerNode node;

    private RunningTasker(TestDatabase database, TaskerNode node) {
        this.database = database;
        this.node = node;
    }

    public static RunningTasker start() {
        TestDatabase database = TestDatabases.primary().createDatabase();
        try {
            List<TemplateLoadResult.Loaded> examples = ClasspathTemplates.load(ClasspathTemplates.EXAMPLES).stream()
                    .map(TemplateLoadResult.Loaded.class::cast)
                    .toList();
            TaskerNode node = TaskerNode.on(database.database())
                    .register(examples)
                    .orchestrator(OrchestratorOptions.DEFAULTS)
                    .worker(List.of())
                    .api("127.0.0.1", 0)
                    .start();
            return new RunningTasker(database, node);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return node.api().orElseThrow().url();
    }

    public int port() {
        return node.api().orElseThrow().port();
    }

    public TestDatabase database() {
        return database;
    }

    @Override
    public void close() {
        try {
            node.close();
        } finally {
            database.close();
        }
    }
}
