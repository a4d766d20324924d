package io.tasker.server.cli;

import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.Database;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.node.TaskerNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code tasker server}: the REST API and the orchestrator on an external PostgreSQL, without a
 * worker; run {@code tasker worker} processes beside it, on this machine or others.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve the REST API and run the orchestrator on an external PostgreSQL.",
                "Migrates the schema and registers the example templates and those in every --templates folder, "
                        + "then runs until Ctrl-C. Steps run in 'tasker worker' processes sharing the database; "
                        + "start as many servers and workers as you need."})
final class ServerCommand extends ForegroundProcess implements Callable<Integer> {
    static final int POOL_SIZE = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Mixin
    ApiOptions api;

    @Mixin
    TemplateOptions templateOptions;

    @Mixin
    LogOptions logOptions;

    @Override
    public Integer call() throws Exception {
        logOptions.apply(spec);
        TaskerConfig config = TaskerCommand.config(spec,
                new TaskerConfig.Flags(database.databaseUrl, api.port, null, null));
        ApiSettings access = api.settings(spec);
        access.requireSafeBinding(api.host(spec));
        ApiServer.requirePortFree(api.host(spec), config.port());
        TemplateSet templates = templateOptions.withExamples(spec);
        if (!TemplateOptions.report(templates, null, spec)) {
            return ErrorReporter.EXIT_ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        String program = TaskerCommand.root(spec).program();
        return runUntilStopped(() -> {
            TaskerNode node = TaskerNode.on(Database.connect(DatabaseOptions.require(config), POOL_SIZE))
                    .migrate()
                    .register(templates.loaded())
                    .orchestrator(OrchestratorOptions.DEFAULTS)
                    .api(api.host(spec), config.port(), access)
                    .start();
            return new Started(node::stop, () -> {
                ReadyBanner banner = new ReadyBanner(out);
                out.println("Tasker server is ready.");
                banner.parts(node);
                banner.line("database", node.database().url().toString());
                out.println("Steps run in workers: start one with  " + program + " worker --database-url URL");
                out.println("Press Ctrl-C to stop.");
            });
        }, Duration.ZERO, out);
    }
}
