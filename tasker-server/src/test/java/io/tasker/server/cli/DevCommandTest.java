package io.tasker.server.cli;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import io.tasker.server.AcmeRubyHandlers;
import io.tasker.server.HandlerJars;
import io.tasker.server.Http;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DevCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void startsOnAnEmbeddedDatabaseAndKeepsItsDataAcrossRestarts() {
        try (RunningCommand first = startDev(dataDir)) {
            assertThat(first.output())
                    .contains("schema      version 3 (applied 3 migrations just now)")
                    .containsPattern("REST API    http://127\\.0\\.0\\.1:\\d+  \\(try GET ")
                    .contains("worker      serving examples with the Java handlers on the classpath" + System.lineSeparator())
                    .contains("ruby worker serving examples_ruby with the Ruby example handlers" + System.lineSeparator())
                    .contains("bin/tasker task create examples/linear_workflow --context '{\"even_number\": 6}' --wait --url http://127.0.0.1:")
                    .contains("bin/tasker task create examples_ruby/linear_workflow --context '{\"even_number\": 6}' --wait --url http://127.0.0.1:")
                    .contains("templates   examples/linear_workflow@1.0.0, 4 steps: registered")
                    .contains("examples/order_fulfillment@1.0.0, 4 steps: registered")
                    .contains("examples_ruby/order_fulfillment@1.0.0, 4 steps: registered");
            try (Database db = connect(first)) {
                Jdbc.withConnection(db.dataSource(), c -> Jdbc.update(c, "create table dev_restart_marker (id int)"));
            }
            assertThat(new Http(first.printed(RunningCommand.API_URL)).get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(first.stop()).isZero();
            assertThat(first.output()).endsWith("stopping" + System.lineSeparator() + "stopped" + System.lineSeparator());
        }

        try (RunningCommand second = startDev(dataDir)) {
            assertThat(second.output())
                    .contains("schema      version 3 (up to date)")
                    .contains("templates   examples/linear_workflow@1.0.0, 4 steps: unchanged");
            try (Database db = connect(second)) {
                Optional<Boolean> markerKept = Jdbc.withConnection(db.dataSource(), c -> Jdbc.queryOne(c,
                        "select to_regclass('dev_restart_marker') is not null", row -> row.getBoolean(1)));
                assertThat(markerKept).contains(true);
            }
            assertThat(second.stop()).isZero();
        }
    }

    @Test
    void aBadSettingIsRefusedBeforeAnythingStarts() {
        CommandRun run = CommandRun.run(Map.of("TASKER_PORT", "eighty"), "dev", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: TASKER_PORT must be a port number (0-65535), got 'eighty'");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void registersTheTemplatesOfEveryTemplatesFolder(@TempDir Path templates) {
        Templates.write(templates, "greeting.yaml", Templates.VALID);

        try (RunningCommand dev = startDev(dataDir, "--templates", templates.toString(), "--no-ruby")) {
            assertThat(dev.output()).contains("team/greeting@1.0.0, 2 steps: registered");
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void withoutRubyNoRubyWorkerRunsAndTheRubyExamplesAreNotRegistered() {
        try (RunningCommand dev = startDev(dataDir, "--no-ruby")) {
            assertThat(dev.output())
                    .contains("worker      serving examples with the Java handlers on the classpath")
                    .doesNotContain("ruby worker")
                    .doesNotContain("examples_ruby")
                    .doesNotContain("JRuby");
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void runsTheHandlersAndTemplatesOfARubyHandlersFolder(@TempDir Path handlers) {
        AcmeRubyHandlers.write(handlers);

        try (RunningCommand dev = startDev(dataDir, "--ruby-handlers", handlers.toString())) {
            assertThat(dev.output())
                    .contains("ruby worker serving acme, examples_ruby with the Ruby example handlers and those in "
                            + handlers.toAbsolutePath())
                    .contains("acme/greet_customer@1.0.0, 2 steps: registered");
            Tasks tasks = new Tasks(new Http(dev.printed(RunningCommand.API_URL)));

            String id = tasks.create(AcmeRubyHandlers.NAMESPACE, AcmeRubyHandlers.TEMPLATE, AcmeRubyHandlers.CONTEXT);

            AcmeRubyHandlers.assertGreeted(tasks.awaitFinished(id).json());
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void runsTheJavaHandlersOfAHandlersJarAndSaysWhereTheyCameFrom(@TempDir Path dir) {
        Path jar = HandlerJars.greeter(dir);
        Path templates = HandlerJars.greeterTemplates(dir.resolve("templates"));

        try (RunningCommand dev = startDev(dataDir, "--handlers", jar.toString(), "--templates", templates.toString(),
                "--no-ruby")) {
            assertThat(dev.output())
                    .contains("Java handlers from " + jar.toAbsolutePath() + ": acme.greeter.Greet, acme.greeter.Shout"
                            + System.lineSeparator())
                    .contains("worker      serving acme_java, examples with the Java handlers on the classpath and those in "
                            + jar.toAbsolutePath() + System.lineSeparator())
                    .contains("acme_java/greet@1.0.0, 2 steps: registered");
            Tasks tasks = new Tasks(new Http(dev.printed(RunningCommand.API_URL)));

            String id = tasks.create(HandlerJars.NAMESPACE, HandlerJars.TEMPLATE, "{\"name\": \"Ada\"}");

            HandlerJars.assertGreeted(tasks.awaitFinished(id).json());
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void aHandlersJarThatDoesNotExistIsOneLineBeforeAnythingStarts() {
        Path missing = dataDir.resolveSibling(dataDir.getFileName() + "-handlers.jar");

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(), "--handlers", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).doesNotContain("PostgreSQL").doesNotContain("JRuby");
        assertThat(run.err().strip()).isEqualTo("error: --handlers " + missing + ": no such jar or folder");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void aHandlersJarWithoutHandlersIsOneLineBeforeAnythingStarts(@TempDir Path dir) {
        Path bare = HandlerJars.jar(HandlerJars.greeter(dir).resolveSibling("greeter-classes"), dir.resolve("bare.jar"));

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(), "--handlers", bare.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).startsWith("error: --handlers " + bare + ": no step handlers in it;")
                .doesNotContain("\n");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void aRubyFileThatDoesNotLoadStopsItBeforePostgresStarts(@TempDir Path handlers) {
        AcmeRubyHandlers.write(handlers);
        Path broken = AcmeRubyHandlers.writeFile(handlers, "zz_broken.rb", """
                # frozen_string_literal: true

                module Acme
                  class Broken < TaskerCore::StepHandler::Base
                    def call(step
                  end
                end
                """);

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--ruby-handlers", handlers.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).doesNotContain("PostgreSQL");
        assertThat(run.err().strip()).startsWith("error: cannot load the Ruby handlers: " + broken.toAbsolutePath() + ":6: ")
                .doesNotContain("\n").doesNotContain("--verbose");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void noRubyAndRubyHandlersExcludeEachOther(@TempDir Path handlers) {
        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(), "--no-ruby",
                "--ruby-handlers", handlers.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: --no-ruby runs no Ruby, so it cannot go with --ruby-handlers");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void aMissingRubyHandlersFolderIsReportedBeforeAnythingStarts() {
        Path missing = dataDir.resolveSibling(dataDir.getFileName() + "-no-such-handlers");

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--ruby-handlers", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("error: --ruby-handlers " + missing + ": no such folder");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void anInvalidTemplateStopsItBeforePostgresStarts(@TempDir Path templates) {
        Path bad = Templates.write(templates, "broken.yaml", Templates.INVALID);

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--templates", templates.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(bad + ":").contains("'zz'");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void aChangedTemplateUnderARegisteredVersionIsRefused(@TempDir Path templates) {
        Path file = Templates.write(templates, "greeting.yaml", Templates.VALID);
        try (RunningCommand dev = startDev(dataDir, "--templates", templates.toString(), "--no-ruby")) {
            assertThat(dev.stop()).isZero();
        }
        Templates.write(templates, file.getFileName().toString(), Templates.VALID.replace("com.example.Goodbye", "com.example.Bye"));

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--templates", templates.toString(), "--no-ruby");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: team/greeting@1.0.0 is already registered with different "
                + "content; bump the version to register a change");
    }

    private static final Pattern DATABASE_URL = Pattern.compile("PostgreSQL +(postgresql://\\S+)");

    private static RunningCommand startDev(Path dataDir, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of("dev", "--data-dir", dataDir.toString(), "--port", "0"));
        args.addAll(List.of(moreArgs));
        return RunningCommand.start(Map.of(), args.toArray(String[]::new));
    }

    /** Connects to the embedded PostgreSQL at the URL the command printed for the user. */
    private static Database connect(RunningCommand dev) {
        return Database.connect(DatabaseUrl.parse(dev.printed(DATABASE_URL)), 1);
    }
}
