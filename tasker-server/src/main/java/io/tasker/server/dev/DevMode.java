package io.tasker.server.dev;

import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.Database;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.dev.EmbeddedDatabase;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.node.JavaHandlers;
import io.tasker.server.node.RubyHandlers;
import io.tasker.server.node.TaskerNode;
import io.tasker.worker.WorkerConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tasker in one process for a developer machine: an embedded PostgreSQL whose data survives
 * restarts, and on it a {@link TaskerNode} with every part: schema, templates, orchestrator, a
 * worker with the Java handlers, one with the Ruby handlers unless there are none, and the REST
 * API. Closing it shuts everything down, PostgreSQL last.
 */
public final class DevMode implements AutoCloseable {
    private static final int POOL_SIZE = 20;

    private final EmbeddedDatabase postgres;
    private final TaskerNode node;

    private DevMode(EmbeddedDatabase postgres, TaskerNode node) {
        this.postgres = postgres;
        this.node = node;
    }

    /**
     * As {@link #start(TaskerConfig, String, ApiSettings, List, JavaHandlers.Loaded, RubyHandlers.Loaded,
     * WorkerConfig.Builder)} with the Java handlers on the classpath, without Ruby and with an open
     * API, as {@code tasker dev --no-ruby}.
     */
    public static DevMode start(TaskerConfig config, String apiHost, List<TemplateLoadResult.Loaded> templates) {
        return start(config, apiHost, ApiSettings.OPEN, templates, JavaHandlers.classpathOnly().load(), null,
                WorkerConfig.builder());
    }

    /**
     * Starts PostgreSQL and every part on it, the API on {@code apiHost} and the configured port,
     * its access as {@code api} says.
     * A template that changed under a registered version replaces it when no task that may still
     * run uses it; otherwise the conflict fails the start, and then none of them is registered.
     *
     * @param javaHandlers the Java handlers, already loaded, which the node then owns
     * @param rubyHandlers the Ruby handlers, already loaded; null runs no Ruby worker
     * @param workers the workers' settings beyond their namespaces
     */
    public static DevMode start(TaskerConfig config, String apiHost, ApiSettings api,
                                List<TemplateLoadResult.Loaded> templates, JavaHandlers.Loaded javaHandlers,
                                RubyHandlers.Loaded rubyHandlers, WorkerConfig.Builder workers) {
        EmbeddedDatabase postgres = EmbeddedDatabase.start(config.dataDir(), config.databasePort(), true);
        try {
            TaskerNode.Builder parts = TaskerNode.on(Database.connect(postgres.url(), POOL_SIZE))
                    .migrate()
                    .register(templates)
                    .replacingChangedTemplates()
                    .orchestrator(OrchestratorOptions.DEFAULTS)
                    .workerConfig(workers)
                    .javaHandlers(javaHandlers)
                    .worker(List.of())
                    .api(apiHost, config.port(), api);
            if (rubyHandlers != null) {
                parts.rubyWorker(rubyHandlers);
            }
            return new DevMode(postgres, parts.start());
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /**
     * The address other tools (psql, {@code --database-url}) reach this PostgreSQL at, without its
     * password, which is in {@link #passwordFile()}.
     */
    public String databaseUrl() {
        return "postgresql://" + EmbeddedDatabase.USER + "@localhost:" + postgres.port() + "/" + EmbeddedDatabase.DATABASE;
    }

    public Path passwordFile() {
        return postgres.passwordFile();
    }

    public Path dataDirectory() {
        return postgres.dataDirectory();
    }

    public TaskerNode node() {
        return node;
    }

    @Override
    public void close() {
        stop(message -> {});
    }

    /** Stops the node ({@link TaskerNode#stop}), then PostgreSQL. */
    public void stop(Consumer<String> progress) {
        try {
            node.stop(progress);
        } finally {
            postgres.close();
        }
    }
}
