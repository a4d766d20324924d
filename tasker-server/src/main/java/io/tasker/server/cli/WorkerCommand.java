package io.tasker.server.cli;

import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.server.config.Settings;
import io.tasker.server.node.JavaHandlers;
import io.tasker.server.node.RubyHandlers;
import io.tasker.server.node.TaskerNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tasker worker}: runs steps from an external PostgreSQL with the Java handlers on the
 * classpath and in the {@code --handlers} jars and, with {@code --ruby-handlers}, Ruby handlers on
 * JRuby.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run steps from an external PostgreSQL with the Java handlers found on the classpath and in "
                + "every --handlers jar and, given --ruby-handlers, with the Ruby example handlers and those in "
                + "every --ruby-handlers folder.",
                "Registers the templates in every --templates and --ruby-handlers folder (the schema must be migrated: "
                        + "tasker server or tasker db migrate). Serves the given namespaces, or every namespace with "
                        + "a registered template that has a step its handlers run. Start as many as you need, on any "
                        + "machine that reaches the database. Ctrl-C finishes the steps in flight, then stops.",
                "Every setting is also read from its TASKER_* variable and from tasker.yaml (or --config FILE): "
                        + "see 'tasker config show'."})
final class WorkerCommand extends ForegroundProcess implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Mixin
    TemplateOptions templateOptions;

    @Mixin
    JavaHandlerOptions javaHandlerOptions;

    @Mixin
    RubyOptions rubyOptions;

    @Mixin
    WorkerOptions workerOptions;

    @Mixin
    LogOptions logOptions;

    @Override
    public List<Setting<?>> settings() {
        return List.of(Settings.POOL_SIZE);
    }

    @Override
    public Integer call() throws Exception {
        Configuration config = TaskerCommand.configuration(spec);
        LogOptions.apply(config);
        DatabaseUrl url = DatabaseOptions.require(config);
        PrintWriter out = spec.commandLine().getOut();
        RubyHandlers ruby = rubyOptions.directories.isEmpty() ? null : rubyOptions.withExamples();
        TemplateSet templates = TemplateOptions.plusRuby(templateOptions.given(config), ruby, config);
        if (!TemplateOptions.report(templates, ruby, config, spec)) {
            return ErrorReporter.EXIT_ERROR;
        }
        return runUntilStopped(() -> {
            JavaHandlers.Loaded javaHandlers = javaHandlerOptions.load(out);
            RubyHandlers.Loaded rubyHandlers = ruby == null ? null : RubyOptions.load(ruby, out);
            TaskerNode.Builder parts = TaskerNode.on(Database.connect(url, Settings.poolSize(config, true)))
                    .register(templates.loaded())
                    .workerConfig(Settings.worker(config))
                    .javaHandlers(javaHandlers)
                    .worker(config.find(Settings.NAMESPACES).orElse(List.of()));
            if (rubyHandlers != null) {
                parts.rubyWorker(rubyHandlers);
            }
            TaskerNode node = parts.start();
            ReadyBanner.warnUnserved(spec.commandLine().getErr(), node);
            return new Started(node::stop, () -> {
                ReadyBanner banner = new ReadyBanner(out);
                out.println("Tasker worker is ready.");
                banner.parts(node);
                banner.database(node);
                out.println("Press Ctrl-C to stop (steps in flight finish first).");
            });
        }, config.get(Settings.SHUTDOWN_TIMEOUT), out);
    }
}
