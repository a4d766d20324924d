package io.tasker.server;

import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.node.ClasspathTemplates;
import io.tasker.server.node.RubyHandlers;
import io.tasker.server.node.TaskerNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasker as {@code tasker dev} runs it, on a throw-away database: the example templates
 * registered, the orchestrator, a worker with the handlers found through ServiceLoader, with
 * {@link #withRuby} a Ruby worker too, and the REST API on a free loopback port.
 */
public final class RunningTasker implements AutoCloseable {
    private final TestDatabase database;
    private final TaskerNode node;

    private RunningTasker(TestDatabase database, TaskerNode node) {
        this.database = database;
        this.node = node;
    }

    /** Java handlers only, as {@code tasker dev --no-ruby}. */
    public static RunningTasker start() {
        return start(null, ApiSettings.OPEN);
    }

    /** Java handlers only, the API's access as {@code access} says (e.g. protected by tokens). */
    public static RunningTasker start(ApiSettings access) {
        return start(null, access);
    }

    /**
     * With a Ruby worker running {@code ruby}, as {@code tasker dev --ruby-handlers ...}; there can
     * be one at a time in a JVM.
     */
    public static RunningTasker withRuby(RubyHandlers ruby) {
        return start(ruby, ApiSettings.OPEN);
    }

    private static RunningTasker start(RubyHandlers ruby, ApiSettings access) {
        List<TemplateLoadResult> templates = new ArrayList<>(ClasspathTemplates.load(ClasspathTemplates.EXAMPLES));
        if (ruby != null) {
            templates.addAll(ruby.templates());
        }
        RubyHandlers.Loaded rubyHandlers = ruby == null ? null : ruby.load();
        TestDatabase database = TestDatabases.primary().createDatabase();
        try {
            TaskerNode.Builder parts = TaskerNode.on(database.database())
                    .register(templates.stream().map(TemplateLoadResult.Loaded.class::cast).toList())
                    .orchestrator(OrchestratorOptions.DEFAULTS)
                    .worker(List.of())
                    .api("127.0.0.1", 0, access);
            if (rubyHandlers != null) {
                parts.rubyWorker(rubyHandlers);
            }
            return new RunningTasker(database, parts.start());
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

    public TaskerNode node() {
        return node;
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
