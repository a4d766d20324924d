package io.tasker.server.cli;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskRequest;
import io.tasker.server.AcmeRubyHandlers;
import io.tasker.server.HandlerJars;
import io.tasker.server.Http;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.tasker.server.cli.CommandRun.commandLineUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tasker server} and {@code tasker worker} as separate parts sharing one external PostgreSQL. */
class ServerAndWorkerCommandTest {

    @Test
    void aTaskCreatedOnTheServerIsRunByASeparateWorker() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Map<String, String> environment = Map.of("TASKER_DATABASE_URL", commandLineUrl(database.database().url()));
            try (RunningCommand server = RunningCommand.start(environment, "server", "--port", "0");
                 RunningCommand worker = RunningCommand.start(environment, "worker", "--namespace", "examples")) {
                assertThat(server.output()).contains("Tasker server is ready.")
                        .contains("templates   examples/linear_workflow@1.0.0, 4 steps: registered");
                assertThat(worker.output()).contains("worker      serving examples");
                Tasks tasks = new Tasks(new Http(server.printed(RunningCommand.API_URL)));

                String id = tasks.create("diamond_workflow", "{\"even_number\": 6}");

                var task = tasks.awaitFinished(id).json();
                assertThat(task.get("state").asText()).isEqualTo("complete");
                assertThat(Tasks.step(task, "end").at("/results/value").bigIntegerValue())
                        .isEqualTo(BigInteger.valueOf(6).pow(8));
                assertThat(worker.stop()).isZero();
                assertThat(server.stop()).isZero();
                assertThat(server.output()).endsWith("stopped" + System.lineSeparator());
            }
        }
    }

    @Test
    void aWorkerWithRubyHandlersRunsTheirTasksAndTheRubyExamples(@TempDir Path handlers) {
        AcmeRubyHandlers.write(handlers);
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Map<String, String> environment = Map.of("TASKER_DATABASE_URL", commandLineUrl(database.database().url()));
            try (RunningCommand server = RunningCommand.start(environment, "server", "--port", "0");
                 RunningCommand worker = RunningCommand.start(environment, "worker", "--ruby-handlers", handlers.toString())) {
                assertThat(worker.output())
                        .contains("starting JRuby and loading the Ruby handlers")
                        .contains("worker      serving examples with the Java handlers on the classpath")
                        .contains("ruby worker serving acme, examples_ruby with the Ruby example handlers and those in")
                        .contains("acme/greet_customer@1.0.0, 2 steps: registered")
                        .contains("examples_ruby/linear_workflow@1.0.0, 4 steps: registered");
                Tasks tasks = new Tasks(new Http(server.printed(RunningCommand.API_URL)));

                String acme = tasks.create(AcmeRubyHandlers.NAMESPACE, AcmeRubyHandlers.TEMPLATE, AcmeRubyHandlers.CONTEXT);
                String linear = tasks.create("examples_ruby", "linear_workflow", "{\"even_number\": 6}");

                AcmeRubyHandlers.assertGreeted(tasks.awaitFinished(acme).json());
                var task = tasks.awaitFinished(linear).json();
                assertThat(task.get("state").asText()).isEqualTo("complete");
                assertThat(Tasks.step(task, "step_d").at("/results/value").bigIntegerValue())
                        .isEqualTo(BigInteger.valueOf(6).pow(16));
                assertThat(worker.stop()).isZero();
                assertThat(worker.output()).endsWith("stopped" + System.lineSeparator());
                assertThat(server.stop()).isZero();
            }
        }
    }

    @Test
    void aWorkerWithAHandlersJarServesTheNamespaceOfItsHandlers(@TempDir Path dir) {
        Path jar = HandlerJars.greeter(dir);
        Path templates = HandlerJars.greeterTemplates(dir.resolve("templates"));
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Map<String, String> environment = Map.of("TASKER_DATABASE_URL", commandLineUrl(database.database().url()));
            try (RunningCommand worker = RunningCommand.start(environment, "worker", "--handlers", jar.toString(),
                    "--templates", templates.toString())) {
                assertThat(worker.output())
                        .contains("Java handlers from " + jar.toAbsolutePath() + ": acme.greeter.Greet, acme.greeter.Shout")
                        .contains("worker      serving acme_java with the Java handlers on the classpath and those in "
                                + jar.toAbsolutePath());
                TaskCreator creator = new TaskCreator(database.dataSource(), new TemplateRegistry(database.dataSource()));
                UUID id = ((CreateTaskResult.Created) creator.create(TaskRequest.of(HandlerJars.NAMESPACE,
                        HandlerJars.TEMPLATE, Json.parse("{\"name\": \"Ada\"}")))).task().id();

                await().atMost(Duration.ofSeconds(30)).until(() -> Jdbc.withConnection(database.dataSource(),
                        c -> Jdbc.queryOne(c, "select state from tasker_tasks where id = ?", row -> row.getString(1), id))
                        .orElseThrow().equals("complete"));
                Optional<String> shouted = Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c,
                        "select results->>'text' from tasker_steps where task_id = ? and name = 'shout'",
                        row -> row.getString(1), id));
                assertThat(shouted).contains("HELLO, ADA!");
                assertThat(worker.stop()).isZero();
            }
        }
    }

    @Test
    void aWorkerGivenAJarWithoutHandlersSaysSoBeforeConnecting(@TempDir Path dir) {
        Path bare = HandlerJars.jar(HandlerJars.greeter(dir).resolveSibling("greeter-classes"), dir.resolve("bare.jar"));

        CommandRun run = CommandRun.run(Map.of(), "worker", "--database-url", "postgresql://nobody@127.0.0.1:1/none",
                "--handlers", bare.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).startsWith("error: --handlers " + bare + ": no step handlers in it;")
                .doesNotContain("\n");
    }

    @Test
    void aWorkerOnADatabaseWithoutTemplatesSaysWhatToStartFirst() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            CommandRun run = CommandRun.run(Map.of(), "worker", "--database-url", commandLineUrl(database.database().url()));

            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.err()).contains("no namespace for the worker to serve")
                    .contains("start 'tasker server'");
        }
    }

    @Test
    void aServerReportsABusyPortBeforeItConnectsToTheDatabase() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CommandRun run = CommandRun.run(Map.of(), "server", "--port", Integer.toString(taken.getLocalPort()),
                    "--database-url", "postgresql://nobody@127.0.0.1:1/none");

            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.err().strip()).isEqualTo("error: cannot serve the REST API on 127.0.0.1:"
                    + taken.getLocalPort() + ": Address already in use (is another Tasker running? choose another port "
                    + "with --port)");
        }
    }

    @Test
    void aWorkerOnADatabaseWithoutTheSchemaSaysHowToMigrateIt() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            String url = commandLineUrl(database.database().url());
            Jdbc.withConnection(database.database().dataSource(), c -> Jdbc.update(c, "drop table tasker_templates cascade"));

            CommandRun run = CommandRun.run(Map.of(), "worker", "--database-url", url);

            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.err().strip()).isEqualTo("error: the database has no Tasker schema yet: "
                    + "run 'tasker db migrate' on it, or start 'tasker server' on it first");
        }
    }

    @Test
    void aWorkerOnADatabaseWithAnOlderSchemaSaysHowToMigrateIt() {
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            String url = commandLineUrl(database.database().url());
            Jdbc.withConnection(database.database().dataSource(), c -> Jdbc.update(c, "drop table tasker_workers"));

            CommandRun run = CommandRun.run(Map.of(), "worker", "--database-url", url);

            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.err().strip()).isEqualTo("error: the database's Tasker schema is older than this Tasker: "
                    + "run 'tasker db migrate' on it, or start a 'tasker server' of this version on it first");
        }
    }

    @Test
    void aWorkerProcessTakesItsSettingsFromTaskerYamlInItsWorkingDirectory(@TempDir Path dir) throws Exception {
        Path templates = Files.createDirectories(dir.resolve("templates"));
        Files.writeString(templates.resolve("squares.yaml"), """
                namespace: configured
                name: squares
                version: 1.0.0
                steps:
                  - {name: square, handler: {callable: io.tasker.examples.math.SquareStep}}
                """);
        try (TestDatabase database = TestDatabases.primary().createDatabase()) {
            Files.writeString(dir.resolve("tasker.yaml"), """
                    # what this worker runs with; nothing on its command line
                    database:
                      url: '%s'
                    worker:
                      slots: 3
                      lease: 12s
                    templates:
                      path: [templates]
                    """.formatted(commandLineUrl(database.database().url())));

            try (TaskerProcess worker = TaskerProcess.start(dir, Map.of(), "worker")) {
                assertThat(worker.out()).as(worker.output())
                        .contains("worker      serving configured with the Java handlers on the classpath")
                        .contains("3 handler slots, hybrid mode, lease 12s")
                        .containsPattern("database    jdbc:postgresql://\\S+ .*\\(pool of 7 connections\\)");
                TaskCreator creator = new TaskCreator(database.dataSource(), new TemplateRegistry(database.dataSource()));
                UUID id = ((CreateTaskResult.Created) creator.create(TaskRequest.of("configured", "squares",
                        Json.parse("{\"even_number\": 6}")))).task().id();

                await().atMost(Duration.ofSeconds(30)).until(() -> Jdbc.withConnection(database.dataSource(),
                        c -> Jdbc.queryOne(c, "select state from tasker_tasks where id = ?", row -> row.getString(1), id))
                        .orElseThrow().equals("complete"));
                assertThat(worker.terminate()).as(worker.output()).isZero();
            }
        }
    }
}
