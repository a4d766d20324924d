package io.tasker.server.cli;

import io.tasker.core.config.TaskerConfig;
import io.tasker.server.dev.ClasspathTemplates;
import io.tasker.server.dev.DevMode;
import io.tasker.server.dev.TemplateRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tasker dev}: runs {@link DevMode} until Ctrl-C or SIGTERM. Both a signal (through a
 * shutdown hook) and {@link #stop()} (tests) take the same path: the command thread wakes, closes
 * everything, prints "stopped", and only then lets the hook return, so the JVM never exits with
 * PostgreSQL half shut down.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run Tasker in one process on an embedded PostgreSQL, for development.",
                "The database is kept in --data-dir and reused on the next start. The example templates and those "
                        + "in every --templates folder are registered. Ctrl-C stops it."})
final class DevCommand implements Callable<Integer> {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT",
            description = "HTTP port for the REST API (default: TASKER_PORT, else 8080).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the embedded PostgreSQL keeps its data (default: TASKER_DATA_DIR, else .tasker/postgres).")
    Path dataDir;

    @Option(names = "--db-port", paramLabel = "PORT",
            description = "Port for the embedded PostgreSQL (default: TASKER_DB_PORT, else 0: any free port).")
    Integer databasePort;

    @Option(names = "--templates", paramLabel = "DIR",
            description = "A folder of template files (*.yaml, *.yml) to register besides the examples; repeatable.")
    List<Path> templateDirs = List.of();

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        TaskerConfig config = TaskerCommand.config(spec, new TaskerConfig.Flags(null, port, dataDir, databasePort));
        PrintWriter out = spec.commandLine().getOut();
        // Templates are checked before anything starts, so a typo costs no PostgreSQL start-up.
        TemplateSet templates = TemplateSet.of(ClasspathTemplates.load(ClasspathTemplates.EXAMPLES))
                .plus(TemplateSet.fromPaths(templateDirs));
        if (!templates.valid()) {
            templates.printProblems(spec.commandLine().getErr());
            return ErrorReporter.EXIT_ERROR;
        }
        out.println("starting PostgreSQL in " + config.dataDir().toAbsolutePath());
        out.flush();
        Thread hook = new Thread(this::stopAndWait, "tasker-dev-stop");
        DevMode dev = DevMode.start(config, templates.loaded());
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            printReady(out, config, dev);
            stopRequested.await();
        } finally {
            try {
                dev.close();
                out.println("stopped");
                out.flush();
            } finally {
                stopped.countDown();
                removeUnlessShuttingDown(hook);
            }
        }
        return 0;
    }

    /** Asks a running {@code dev} to shut down; {@link #call()} returns once it has. */
    void stop() {
        stopRequested.countDown();
    }

    private void stopAndWait() {
        stop();
        try {
            stopped.await(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printReady(PrintWriter out, TaskerConfig config, DevMode dev) {
        out.println();
        out.println("Tasker dev is ready.");
        out.println("  PostgreSQL  " + dev.databaseUrl() + "  (use it as --database-url)");
        out.println("              data in " + dev.dataDirectory() + " (kept across restarts)");
        out.println("  schema      " + SchemaMigration.of(dev.migration()).status());
        out.println("  REST API    not yet available in this build (it will serve on port " + config.port() + ")");
        String label = "  templates   ";
        for (TemplateRegistration registration : dev.templates()) {
            out.println(label + TemplateSet.describe(registration.template()) + ": "
                    + registration.result().name().toLowerCase(Locale.ROOT));
            label = " ".repeat(label.length());
        }
        out.println();
        out.println("Next: check your own templates with  tasker template validate DIR");
        out.println("      and register them on start with  tasker dev --templates DIR");
        out.println("      look into the database with  psql " + dev.databaseUrl());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static void removeUnlessShuttingDown(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is what is stopping us; nothing to remove.
        }
    }
}
