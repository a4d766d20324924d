package io.tasker.server.dev;

import io.tasker.core.config.Configuration;
import io.tasker.core.db.Database;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.dev.EmbeddedDatabase;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.config.Settings;
import io.tasker.server.node.JavaHandlers;
import io.tasker.server.node.RubyHandlers;
import io.tasker.server.node.TaskerNode;

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
    private final EmbeddedDatabase postgres;
    private final TaskerNode node;

    private DevMode(EmbeddedDatabase postgres, TaskerNode node) {
        this.postgres = postgres;
        this.node = node;
    }

    /**
     * Starts PostgreSQL and every part on it, as {@code config} sets them; the API's access as
     * {@code api} says.
     * A template that changed under a registered version replaces it when no task that may still
     * run uses it; otherwise the conflict fails the start, and then none of them is registered.
     *
     * @param javaHandlers the Java handlers, already loaded, which the node then owns
     * @param rubyHandlers the Ruby handlers, already loaded; null runs no Ruby worker
     */
    public static DevMode start(Configuration config, ApiSettings api, List<TemplateLoadResult.Loaded> templates,
                                JavaHandlers.Loaded javaHandlers, RubyHandlers.Loaded rubyHandlers) {
        EmbeddedDatabase postgres = EmbeddedDatabase.start(config.get(Settings.DATA_DIR),
                config.get(Settings.DATABASE_PORT), true);
        try {
            TaskerNode.Builder parts = TaskerNode.on(Database.connect(postgres.url(), Settings.poolSize(config, true)))
                    .migrate()
                    .register(templates)
                    .replacingChangedTemplates()
                    .orchestrator(Settings.orchestrator(config))
                    .workerConfig(Settings.worker(config))
                    .javaHandlers(javaHandlers)
                    .worker(config.find(Settings.NAMESPACES).orElse(List.of()))
                    .api(config.get(Settings.API_HOST), config.get(Settings.API_PORT), api);
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
