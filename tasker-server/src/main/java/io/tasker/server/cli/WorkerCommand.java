package io.tasker.server.cli;

import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.server.node.JavaHandlers;
import io.tasker.server.node.RubyHandlers;
import io.tasker.server.node.TaskerNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
                        + "machine that reaches the database. Ctrl-C finishes the steps in flight, then stops."})
final class WorkerCommand extends ForegroundProcess implements Callable<Integer> {
    static final int POOL_SIZE = 10;

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

    @Option(names = "--namespace", paramLabel = "NS",
            description = "A namespace to serve; repeatable (default: every namespace with a registered template "
                    + "that has a step the handlers here run).")
    List<String> namespaces = List.of();

    @Override
    public Integer call() throws Exception {
        logOptions.apply(spec);
        TaskerConfig config = TaskerCommand.config(spec, database.flags());
        DatabaseUrl url = DatabaseOptions.require(config);
        PrintWriter out = spec.commandLine().getOut();
        RubyHandlers ruby = rubyOptions.directories.isEmpty() ? null : rubyOptions.withExamples();
        TemplateSet templates = TemplateOptions.plusRuby(templateOptions.given(spec), ruby, spec);
        if (!TemplateOptions.report(templates, ruby, spec)) {
            return ErrorReporter.EXIT_ERROR;
        }
        return runUntilStopped(() -> {
            JavaHandlers.Loaded javaHandlers = javaHandlerOptions.load(out);
            RubyHandlers.Loaded rubyHandlers = ruby == null ? null : RubyOptions.load(ruby, out);
            TaskerNode.Builder parts = TaskerNode.on(Database.connect(url, POOL_SIZE))
                    .register(templates.loaded())
                    .workerConfig(workerOptions.config())
                    .javaHandlers(javaHandlers)
                    .worker(namespaces);
            if (rubyHandlers != null) {
                parts.rubyWorker(rubyHandlers);
            }
            TaskerNode node = parts.start();
            ReadyBanner.warnUnserved(spec.commandLine().getErr(), node);
            return new Started(node::stop, () -> {
                ReadyBanner banner = new ReadyBanner(out);
                out.println("Tasker worker is ready.");
                banner.parts(node);
                banner.line("database", node.database().url().toString());
                out.println("Press Ctrl-C to stop (steps in flight finish first).");
            });
        }, workerOptions.shutdownTimeout, out);
    }
}
