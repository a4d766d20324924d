package io.tasker.server.cli;

import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.core.db.Database;
import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.config.Settings;
import io.tasker.server.node.TaskerNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tasker server}: the REST API and the orchestrator on an external PostgreSQL, without a
 * worker; run {@code tasker worker} processes beside it, on this machine or others.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve the REST API and run the orchestrator on an external PostgreSQL.",
                "Migrates the schema and registers the example templates and those in every --templates folder, "
                        + "then runs until Ctrl-C. Steps run in 'tasker worker' processes sharing the database; "
                        + "start as many servers and workers as you need.",
                "Every setting is also read from its TASKER_* variable and from tasker.yaml (or --config FILE): "
                        + "see 'tasker config show'."})
final class ServerCommand extends ForegroundProcess implements Callable<Integer>, TakesSettings {
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
    public List<Setting<?>> settings() {
        List<Setting<?>> settings = new ArrayList<>(List.of(Settings.POOL_SIZE));
        settings.addAll(Settings.ORCHESTRATION);
        return settings;
    }

    @Override
    public Integer call() throws Exception {
        Configuration config = TaskerCommand.configuration(spec);
        LogOptions.apply(config);
        ApiSettings access = ApiOptions.settings(config);
        String host = config.get(Settings.API_HOST);
        int port = config.get(Settings.API_PORT);
        access.requireSafeBinding(host);
        ApiServer.requirePortFree(host, port);
        TemplateSet templates = templateOptions.withExamples(config);
        if (!TemplateOptions.report(templates, null, config, spec)) {
            return ErrorReporter.EXIT_ERROR;
        }
        PrintWriter out = spec.commandLine().getOut();
        String program = TaskerCommand.root(spec).program();
        return runUntilStopped(() -> {
            TaskerNode node = TaskerNode.on(Database.connect(DatabaseOptions.require(config),
                            Settings.poolSize(config, false)))
                    .migrate()
                    .register(templates.loaded())
                    .orchestrator(Settings.orchestrator(config))
                    .api(host, port, access)
                    .start();
            return new Started(node::stop, () -> {
                ReadyBanner banner = new ReadyBanner(out);
                out.println("Tasker server is ready.");
                banner.parts(node);
                banner.database(node);
                out.println("Steps run in workers: start one with  " + program + " worker --database-url URL");
                out.println("Press Ctrl-C to stop.");
            });
        }, Duration.ZERO, out);
    }
}
