package io.tasker.server.cli;

import io.tasker.core.TaskerException;
import io.tasker.core.config.TaskerConfig;
import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.dev.DevMode;
import io.tasker.server.node.JavaHandlers;
import io.tasker.server.node.RubyHandlers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tasker dev}: runs {@link DevMode}, everything in one process, until Ctrl-C or SIGTERM. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run Tasker in one process on an embedded PostgreSQL, for development: the REST API, "
                + "the orchestrator, a worker with the Java example handlers and those of every --handlers jar, "
                + "and a worker with the Ruby example handlers and those of every --ruby-handlers folder.",
                "The database is kept in --data-dir and reused on the next start. The example templates (Java and "
                        + "Ruby), those in every --templates folder and TASKER_TEMPLATE_PATH folder and those in every "
                        + "--ruby-handlers folder are registered. Ctrl-C stops it."})
final class DevCommand extends ForegroundProcess implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

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

    @Option(names = "--no-ruby",
            description = "Run no Ruby: JRuby is not started (a faster start), and the Ruby examples are not registered.")
    boolean noRuby;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the embedded PostgreSQL keeps its data (default: TASKER_DATA_DIR, else .tasker/postgres).")
    Path dataDir;

    @Option(names = "--db-port", paramLabel = "PORT",
            description = "Port for the embedded PostgreSQL (default: TASKER_DB_PORT, else 0: any free port).")
    Integer databasePort;

    @Override
    public Integer call() throws Exception {
        logOptions.apply(spec);
        TaskerConfig config = TaskerCommand.config(spec, new TaskerConfig.Flags(null, api.port, dataDir, databasePort));
        PrintWriter out = spec.commandLine().getOut();
        if (noRuby && !rubyOptions.directories.isEmpty()) {
            throw new TaskerException("--no-ruby runs no Ruby, so it cannot go with --ruby-handlers");
        }
        ApiSettings access = api.settings(spec);
        access.requireSafeBinding(api.host(spec));
        ApiServer.requirePortFree(api.host(spec), config.port());
        RubyHandlers ruby = noRuby ? null : rubyOptions.withExamples();
        TemplateSet templates = TemplateOptions.plusRuby(templateOptions.withExamples(spec), ruby, spec);
        if (!TemplateOptions.report(templates, ruby, spec)) {
            return ErrorReporter.EXIT_ERROR;
        }
        // Where commands started in this environment look for the password of a URL without one.
        Path found = TaskerCommand.config(spec, TaskerConfig.Flags.none()).dataDir().toAbsolutePath();
        String program = TaskerCommand.root(spec).program();
        return runUntilStopped(() -> {
            JavaHandlers.Loaded javaHandlers = javaHandlerOptions.load(out);
            RubyHandlers.Loaded rubyHandlers = ruby == null ? null : RubyOptions.load(ruby, out);
            out.println("starting PostgreSQL in " + config.dataDir().toAbsolutePath());
            out.flush();
            DevMode dev = DevMode.start(config, api.host(spec), access, templates.loaded(), javaHandlers, rubyHandlers,
                    workerOptions.config());
            ReadyBanner.warnUnserved(spec.commandLine().getErr(), dev.node());
            return new Started(dev::stop, () -> printReady(out, dev, found, program));
        }, workerOptions.shutdownTimeout, out);
    }

    private static void printReady(PrintWriter out, DevMode dev, Path passwordFoundIn, String program) {
        ReadyBanner banner = new ReadyBanner(out);
        out.println();
        out.println("Tasker dev is ready.");
        banner.parts(dev.node());
        banner.line("PostgreSQL", dev.databaseUrl() + "  (use it as --database-url)");
        banner.continuation("password in " + dev.passwordFile() + (dev.dataDirectory().equals(passwordFoundIn)
                ? " (tasker commands started here read it)"
                : " (tasker commands read it with TASKER_DATA_DIR=" + dev.dataDirectory() + ")"));
        banner.continuation("data in " + dev.dataDirectory() + " (kept across restarts)");
        out.println();
        banner.tryIt(dev.node(), program);
        out.println("Your own templates: check them with  " + program + " template validate DIR");
        out.println("                    register them on start with  " + program + " dev --templates DIR");
        out.println("Your Java handlers: run them with  " + program + " dev --handlers JAR --templates DIR");
        out.println("Your Ruby handlers: run them (and their templates) with  " + program + " dev --ruby-handlers DIR");
        out.println("Press Ctrl-C to stop.");
    }
}
