package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.server.AcmeRubyHandlers;
import io.tasker.server.HandlerJars;
import io.tasker.server.Http;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
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
    void startsOnAnEmbeddedDatabaseAndKeepsItsDataAcrossRestarts() throws IOException {
        try (RunningCommand first = startDev(dataDir)) {
            assertThat(first.output())
                    .contains("schema      version 7 (applied 7 migrations just now)")
                    .containsPattern("REST API    http://127\\.0\\.0\\.1:\\d+  \\(try GET ")
                    .contains("worker      serving examples with the Java handlers on the classpath" + System.lineSeparator())
                    .contains("ruby worker serving examples_ruby with the Ruby example handlers" + System.lineSeparator())
                    .contains("\n  tasker task create examples/linear_workflow --context '{\"even_number\": 6}' --wait --url http://127.0.0.1:")
                    .contains("\n  tasker task create examples_ruby/linear_workflow --context '{\"even_number\": 6}' --wait --url http://127.0.0.1:")
                    .contains("check them with  tasker template validate DIR")
                    .contains("templates   examples/linear_workflow@1.0.0, 4 steps: registered")
                    .contains("password in " + dataDir.toAbsolutePath().resolve(".tasker-password")
                            + " (tasker commands read it with TASKER_DATA_DIR=" + dataDir.toAbsolutePath() + ")")
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
                    .contains("schema      version 7 (up to date)")
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
    void thePrintedDatabaseUrlServesTaskerCommandsThatFindThePasswordInTheDataDirectory() throws Exception {
        Map<String, String> environment = Map.of("TASKER_DATA_DIR", dataDir.toString());
        try (RunningCommand dev = RunningCommand.start(environment, "dev", "--port", "0", "--no-ruby")) {
            String url = dev.printed(DATABASE_URL);
            assertThat(url).doesNotContain(Files.readString(dataDir.resolve(".tasker-password")).strip());
            assertThat(dev.output()).contains("password in " + dataDir.toAbsolutePath().resolve(".tasker-password")
                    + " (tasker commands started here read it)");

            CommandRun found = CommandRun.run(environment, "db", "migrate", "--database-url", url);
            CommandRun elsewhere = CommandRun.run(Map.of(), "db", "migrate", "--database-url", url);

            assertThat(found.exitCode()).as(found.err()).isZero();
            assertThat(found.out()).contains("schema is up to date");
            assertThat(elsewhere.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(elsewhere.err()).contains("no password was provided");
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void aBusyPortIsReportedInOneLineBeforePostgresOrJRubyStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                    "--port", Integer.toString(taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("error: cannot serve the REST API on 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use (is another Tasker running? choose another port with --port)"
                    + System.lineSeparator());
            assertThat(dataDir).isEmptyDirectory();
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

    /** say_hello names a callable nobody runs (SayHello misspelt); square is one of the Java examples. */
    private static final String GREETING_WITH_A_TYPO = """
            namespace: greetings
            name: hello
            version: 1.0.0
            steps:
              - name: say_hello
                handler: {callable: Greetings::SayHelo}
              - name: square
                handler: {callable: io.tasker.examples.math.SquareStep}
                depends_on: [say_hello]
            """;

    /** A template whose only step has a typo: no worker serves its namespace at all. */
    private static final String FAREWELL_WITH_A_TYPO = """
            namespace: farewells
            name: bye
            version: 1.0.0
            steps:
              - name: say_bye
                handler: {callable: Farewells::SayBy}
            """;

    @Test
    void aStepNoHandlerRunsIsNamedAtStartOnCreationAndOnTheTask(@TempDir Path templates) {
        Templates.write(templates, "hello.yaml", GREETING_WITH_A_TYPO);
        Templates.write(templates, "bye.yaml", FAREWELL_WITH_A_TYPO);

        try (RunningCommand dev = startDev(dataDir, "--templates", templates.toString(), "--no-ruby")) {
            assertThat(warnings(dev.output())).containsExactlyInAnyOrder(
                    "warning: no handler here runs `Greetings::SayHelo` (step say_hello of greetings/hello@1.0.0): "
                            + "its tasks wait until a worker that runs it starts",
                    "warning: no handler here runs `Farewells::SayBy` (step say_bye of farewells/bye@1.0.0): "
                            + "its tasks wait until a worker that runs it starts");
            assertThat(dev.output()).containsPattern("worker      serving examples, greetings with the Java handlers on "
                    + "the classpath\\R {14}runs io\\.tasker\\.examples\\.").contains("io.tasker.examples.math.MultiplyStep,");
            String url = dev.printed(RunningCommand.API_URL);
            Http http = new Http(url);

            Http.Response created = http.post("/v1/tasks",
                    "{\"namespace\": \"greetings\", \"name\": \"hello\", \"context\": {\"even_number\": 2}}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("warnings")).containsExactly(
                    Json.MAPPER.getNodeFactory().textNode("no live worker runs `Greetings::SayHelo` (step say_hello)"));
            String id = created.json().get("task_uuid").asText();
            JsonNode steps = http.get("/v1/tasks/" + id).json().get("steps");
            assertThat(steps.get(0).get("state").asText()).isEqualTo("enqueued");
            assertThat(steps.get(0).get("unserved").asText()).isEqualTo("no live worker runs `Greetings::SayHelo`");
            assertThat(steps.get(1).get("state").asText()).isEqualTo("pending");
            assertThat(steps.get(1).get("unserved").isNull()).as("square has a worker").isTrue();

            CommandRun create = CommandRun.run(Map.of(), "task", "create", "farewells/bye", "--url", url);
            assertThat(create.exitCode()).isZero();
            assertThat(create.err()).containsPattern("^created task [0-9a-f-]{36}" + System.lineSeparator()
                    + "warning: no live worker runs `Farewells::SayBy` \\(step say_bye\\)" + System.lineSeparator() + "$");
            assertThat(create.out()).containsPattern("say_bye +enqueued +attempts 0/3 +no live worker runs `Farewells::SayBy`");

            CommandRun get = CommandRun.run(Map.of(), "task", "get", id, "--url", url);
            assertThat(get.out()).containsPattern("say_hello +enqueued +attempts 0/3 +no live worker runs `Greetings::SayHelo`")
                    .doesNotContainPattern("square .*no live worker");
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void aServedTemplateGetsNoWarning() {
        try (RunningCommand dev = startDev(dataDir, "--no-ruby")) {
            assertThat(warnings(dev.output())).isEmpty();
            String url = dev.printed(RunningCommand.API_URL);

            Http.Response created = new Http(url).post("/v1/tasks",
                    "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": 4}}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("warnings")).isEmpty();
            assertThat(created.json().get("steps")).allSatisfy(step -> assertThat(step.get("unserved").isNull()).isTrue());

            CommandRun create = CommandRun.run(Map.of(), "task", "create", "examples/linear_workflow", "--context",
                    "{\"even_number\": 8}", "--wait", "--url", url);
            assertThat(create.exitCode()).isZero();
            assertThat(create.err()).doesNotContain("warning").doesNotContain("no live worker");
            assertThat(create.out()).doesNotContain("no live worker");
            assertThat(dev.stop()).isZero();
        }
    }

    private static List<String> warnings(String output) {
        return output.lines().filter(line -> line.startsWith("warning: ")).toList();
    }

    @Test
    void withoutRubyNoRubyWorkerRunsAndTheRubyExamplesAreNotRegistered() {
        TaskerCommand command = new TaskerCommand(Map.of(), "/opt/tasker/bin/tasker");
        try (RunningCommand dev = RunningCommand.start(command, "dev", "--data-dir", dataDir.toString(), "--port", "0",
                "--no-ruby")) {
            assertThat(dev.output())
                    .as("the commands to try say Tasker as the user runs it")
                    .contains("\n  /opt/tasker/bin/tasker task create examples/linear_workflow --context")
                    .contains("register them on start with  /opt/tasker/bin/tasker dev --templates DIR")
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
    void aChangedTemplateReplacesItsVersionWhenNoTaskCanStillRunOnIt(@TempDir Path templates) {
        Path file = Templates.write(templates, "greeting.yaml", Templates.VALID);
        try (RunningCommand dev = startDev(dataDir, "--templates", templates.toString(), "--no-ruby")) {
            assertThat(dev.stop()).isZero();
        }
        Templates.write(templates, file.getFileName().toString(), Templates.VALID.replace("com.example.Goodbye", "com.example.Bye"));

        try (RunningCommand dev = startDev(dataDir, "--templates", templates.toString(), "--no-ruby")) {
            assertThat(dev.output()).contains("team/greeting@1.0.0, 2 steps: replaced");
            JsonNode template = new Http(dev.printed(RunningCommand.API_URL)).get("/v1/templates/team/greeting").json();
            assertThat(template.at("/steps/1/handler/callable").asText()).isEqualTo("com.example.Bye");
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void aChangedTemplateIsRefusedWhileATaskMayStillRunOnIt(@TempDir Path templates) {
        Path file = Templates.write(templates, "greeting.yaml", Templates.VALID);
        try (RunningCommand dev = startDev(dataDir, "--templates", templates.toString(), "--no-ruby")) {
            // No handler runs com.example.Hello here: the task waits, as one in flight would.
            new Tasks(new Http(dev.printed(RunningCommand.API_URL))).create("team", "greeting", "{}");
            assertThat(dev.stop()).isZero();
        }
        Templates.write(templates, file.getFileName().toString(), Templates.VALID.replace("com.example.Goodbye", "com.example.Bye"));

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--templates", templates.toString(), "--no-ruby");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: team/greeting@1.0.0 changed, but 1 task that may still run "
                + "uses it; let them finish or cancel them, or bump the version");
    }

    private static final Pattern DATABASE_URL = Pattern.compile("PostgreSQL +(postgresql://\\S+)");

    private static RunningCommand startDev(Path dataDir, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of("dev", "--data-dir", dataDir.toString(), "--port", "0"));
        args.addAll(List.of(moreArgs));
        return RunningCommand.start(Map.of(), args.toArray(String[]::new));
    }

    /** Connects to the embedded PostgreSQL at the URL the command printed for the user, with the password it names. */
    private Database connect(RunningCommand dev) throws IOException {
        String password = Files.readString(dataDir.resolve(".tasker-password")).strip();
        return Database.connect(DatabaseUrl.parse(dev.printed(DATABASE_URL)).withPassword(password), 1);
    }
}
