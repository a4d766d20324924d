package io.tasker.server.cli;

import io.tasker.core.config.TaskerConfig;
import io.tasker.server.dev.DevMode;
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
                + "the orchestrator and a worker with the Java handlers on the classpath.",
                "The database is kept in --data-dir and reused on the next start. The example templates and those "
                        + "in every --templates folder are registered. Ctrl-C stops it."})
final class DevCommand extends ForegroundProcess implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    @Mixin
    TemplateOptions templateOptions;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the embedded PostgreSQL keeps its data (default: TASKER_DATA_DIR, else .tasker/postgres).")
    Path dataDir;

    @Option(names = "--db-port", paramLabel = "PORT",
            description = "Port for the embedded PostgreSQL (default: TASKER_DB_PORT, else 0: any free port).")
    Integer databasePort;

    @Override
    public Integer call() throws Exception {
        TaskerConfig config = TaskerCommand.config(spec, new TaskerConfig.Flags(null, api.port, dataDir, databasePort));
        PrintWriter out = spec.commandLine().getOut();
        TemplateSet templates = templateOptions.load();
        if (!templates.valid()) {
            templates.printProblems(spec.commandLine().getErr());
            return ErrorReporter.EXIT_ERROR;
        }
        out.println("starting PostgreSQL in " + config.dataDir().toAbsolutePath());
        out.flush();
        DevMode dev = DevMode.start(config, api.host(spec), templates.loaded());
        return runUntilStopped(dev, out, () -> printReady(out, dev));
    }

    private static void printReady(PrintWriter out, DevMode dev) {
        ReadyBanner banner = new ReadyBanner(out);
        out.println();
        out.println("Tasker dev is ready.");
        banner.parts(dev.node());
        banner.line("PostgreSQL", dev.databaseUrl() + "  (use it as --database-url)");
        banner.continuation("data in " + dev.dataDirectory() + " (kept across restarts)");
        out.println();
        dev.node().api().ifPresent(banner::tryIt);
        out.println("Your own templates: check them with  tasker template validate DIR");
        out.println("                    register them on start with  tasker dev --templates DIR");
        out.println("Press Ctrl-C to stop.");
    }
}
