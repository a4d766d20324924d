package io.tasker.server.cli;

import io.tasker.core.TaskerException;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.config.Settings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tasker dev}: runs {@link DevMode}, everything in one process, until Ctrl-C or SIGTERM. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run Tasker in one process on an embedded PostgreSQL, for development: the REST API, "
                + "the orchestrator, a worker with the Java example handlers and those of every --handlers jar, "
                + "and a worker with the Ruby example handlers and those of every --ruby-handlers folder.",
                "The database is kept in --data-dir and reused on the next start. The example templates (Java and "
                        + "Ruby), those in every --templates folder and --template-path folder and those in every "
                        + "--ruby-handlers folder are registered. Ctrl-C stops it.",
                "Every setting is also read from its TASKER_* variable and from tasker.yaml (or --config FILE): "
                        + "see 'tasker config show'."})
final class DevCommand extends ForegroundProcess implements Callable<Integer>, TakesSettings {
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

    @Override
    public List<Setting<?>> settings() {
        List<Setting<?>> settings = new ArrayList<>(List.of(Settings.POOL_SIZE, Settings.DATA_DIR,
                Settings.DATABASE_PORT));
        settings.addAll(Settings.ORCHESTRATION);
        return settings;
    }

    @Override
    public Integer call() throws Exception {
        Configuration config = TaskerCommand.configuration(spec);
        LogOptions.apply(config);
        PrintWriter out = spec.commandLine().getOut();
        if (noRuby && !rubyOptions.directories.isEmpty()) {
            throw new TaskerException("--no-ruby runs no Ruby, so it cannot go with --ruby-handlers");
        }
        ApiSettings access = ApiOptions.settings(config);
        String host = config.get(Settings.API_HOST);
        access.requireSafeBinding(host);
        ApiServer.requirePortFree(host, config.get(Settings.API_PORT));
        RubyHandlers ruby = noRuby ? null : rubyOptions.withExamples();
        TemplateSet templates = TemplateOptions.plusRuby(templateOptions.withExamples(config), ruby, config);
        if (!TemplateOptions.report(templates, ruby, config, spec)) {
            return ErrorReporter.EXIT_ERROR;
        }
        // Where commands started in this environment look for the password of a URL without one.
        Path found = TaskerCommand.configurationWithoutFlags(spec).get(Settings.DATA_DIR).toAbsolutePath();
        String program = TaskerCommand.root(spec).program();
        return runUntilStopped(() -> {
            JavaHandlers.Loaded javaHandlers = javaHandlerOptions.load(out);
            RubyHandlers.Loaded rubyHandlers = ruby == null ? null : RubyOptions.load(ruby, out);
            out.println("starting PostgreSQL in " + config.get(Settings.DATA_DIR).toAbsolutePath());
            out.flush();
            DevMode dev = DevMode.start(config, access, templates.loaded(), javaHandlers, rubyHandlers);
            ReadyBanner.warnUnserved(spec.commandLine().getErr(), dev.node());
            return new Started(dev::stop, () -> printReady(out, dev, found, program));
        }, config.get(Settings.SHUTDOWN_TIMEOUT), out);
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
