package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.server.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where {@code dev}, {@code server} and {@code worker} read templates from: {@code --templates},
 * {@code TASKER_TEMPLATE_PATH}, and the template folders of {@code --ruby-handlers}. A broken
 * template stops a command before it starts anything, so most of these show where templates were
 * read from by the problems reported.
 */
class TemplateDiscoveryTest {
    /** A template as tasker-core writes them, with an override for the test environment. */
    static final String TASKER_CORE_TEMPLATE = """
            ---
            name: greeting
            namespace_name: acme_core
            version: 1.0.0
            description: "Greets, then says goodbye"
            system_dependencies:
              primary: default
              secondary: []
            domain_events: []
            steps:
              - name: hello
                description: "Says hello"
                handler:
                  callable: com.example.Hello
                  initialization:
                    greeting: hello
                system_dependency:
                dependencies: []
                retry:
                  retryable: true
                  limit: 3
                  backoff: exponential
                timeout_seconds: 30
                publishes_events: []
              - name: goodbye
                handler:
                  callable: com.example.Goodbye
                dependencies: [hello]
                retry:
                  limit: 2
            environments:
              test:
                steps:
                  - name: hello
                    timeout_seconds: 10
            """;

    @TempDir
    Path dir;

    /** The one warning {@link #TASKER_CORE_TEMPLATE} gets, as the commands print it. */
    static String limitWarning(Path file) {
        return "warning: " + file + ":21: step 'hello': retry.limit has no effect (tasker-core never read it "
                + "either): use retry.max_attempts, the attempts in all, default 3 (and 1 more time in this file)";
    }

    @Test
    void theTemplatePathIsReadAsTemplatesFoldersAre() {
        Path first = dir.resolve("first");
        Templates.write(first, "greeting.yaml", Templates.VALID);
        Path second = dir.resolve("second");
        Path broken = Templates.write(second, "broken.yaml", Templates.INVALID);

        CommandRun run = CommandRun.run(Map.of("TASKER_TEMPLATE_PATH", first + ":" + second), "server", "--port", "0");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).contains(broken + ":").contains("'zz'").endsWith("2 problems in the templates\n");
    }

    @Test
    void withATemplatePathTheRubyHandlersFoldersAreNotSearchedForTemplates() {
        Path handlers = dir.resolve("handlers");
        Path inHandlers = Templates.write(handlers, "broken.yaml", Templates.INVALID);
        Path path = dir.resolve("path");
        Path onPath = Templates.write(path, "broken.yaml", Templates.INVALID);
        Path data = dir.resolve("data");

        CommandRun without = CommandRun.run(Map.of(), "dev", "--data-dir", data.toString(),
                "--ruby-handlers", handlers.toString());
        CommandRun with = CommandRun.run(Map.of("TASKER_TEMPLATE_PATH", path.toString()), "dev",
                "--data-dir", data.toString(), "--ruby-handlers", handlers.toString());

        assertThat(without.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(without.err()).contains(inHandlers + ":");
        assertThat(with.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(with.err()).contains(onPath + ":").doesNotContain(inHandlers.toString());
        assertThat(data).doesNotExist();
    }

    @Test
    void aRubyHandlersFolderInTaskerCoresLayoutIsReadOnlyInItsTemplateFolders() {
        Path handlers = dir.resolve("handlers");
        Path fixture = Templates.write(handlers.resolve("spec/fixtures/templates"), "broken.yaml", Templates.INVALID);
        Path stray = Templates.write(handlers.resolve("spec/handlers/examples/greeting/config"), "greeting_handler.yaml",
                "name: greeting\nnamespace_name: acme\nversion: 1.0.0\nstep_templates: []\n");

        CommandRun run = CommandRun.run(Map.of("TASKER_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"),
                "worker", "--ruby-handlers", handlers.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).contains(fixture + ":").doesNotContain(stray.toString());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aWarningManyTemplatesGetIsOneLineAtStartup() {
        Path path = dir.resolve("templates");
        Path first = Templates.write(path, "a_handler.yaml", TASKER_CORE_TEMPLATE);
        Templates.write(path, "b_handler.yaml", TASKER_CORE_TEMPLATE.replace("name: greeting", "name: farewell"));

        CommandRun run = CommandRun.run(Map.of("TASKER_TEMPLATE_PATH", path.toString(),
                "TASKER_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"), "worker");

        assertThat(run.err()).containsOnlyOnce("retry.limit has no effect")
                .contains("warning: retry.limit has no effect (tasker-core never read it either): use retry.max_attempts, "
                        + "the attempts in all, default 3 (in 2 templates, the first " + first
                        + ":21; tasker template validate lists every one)");
    }

    @Test
    void devRegistersTheTemplatePathForTaskerEnvAndWarnsOnceAtStartup() {
        Path path = dir.resolve("templates");
        Path file = Templates.write(path, "greeting_handler.yaml", TASKER_CORE_TEMPLATE);
        Map<String, String> environment = Map.of("TASKER_TEMPLATE_PATH", path.toString(), "TASKER_ENV", "test");

        try (RunningCommand dev = RunningCommand.start(environment, "dev", "--data-dir", dir.resolve("data").toString(),
                "--port", "0", "--no-ruby")) {
            assertThat(dev.output())
                    .contains("templates read from " + path.toAbsolutePath() + System.lineSeparator())
                    .contains("acme_core/greeting@1.0.0, 2 steps: registered")
                    .containsOnlyOnce(limitWarning(file));
            JsonNode template = new Http(dev.printed(RunningCommand.API_URL)).get("/v1/templates/acme_core/greeting").json();
            assertThat(template.at("/steps/0/timeout_seconds").asInt()).as("the test environment's timeout").isEqualTo(10);
            assertThat(template.at("/steps/0/handler/initialization/greeting").asText()).isEqualTo("hello");
            assertThat(template.at("/steps/1/depends_on/0").asText()).isEqualTo("hello");
            assertThat(dev.stop()).isZero();
        }
    }
}
