package io.tasker.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void validFilesAndFoldersPass() {
        Path file = Templates.write(dir, "greeting.yaml", Templates.VALID);
        Path folder = dir.resolve("more");
        Path nested = Templates.write(folder, "farewell.yml", Templates.VALID.replace("greeting", "farewell"));

        CommandRun run = CommandRun.run(Map.of(), "template", "validate", file.toString(), folder.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "ok: " + file + " (team/greeting@1.0.0, 2 steps)",
                "ok: " + nested + " (team/farewell@1.0.0, 2 steps)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void everyProblemInEveryFileIsReported() {
        Path good = Templates.write(dir, "greeting.yaml", Templates.VALID);
        Path bad = Templates.write(dir, "broken.yaml", Templates.INVALID);
        Path missing = dir.resolve("missing.yaml");

        CommandRun run = CommandRun.run(Map.of(), "template", "validate", good.toString(), bad.toString(),
                missing.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out().lines()).containsExactly("ok: " + good + " (team/greeting@1.0.0, 2 steps)");
        assertThat(run.err())
                .contains(bad + ":")
                .contains("cycle")
                .contains("'zz'")
                .contains(missing + ": cannot read the file");
        assertThat(run.err().lines().toList().getLast()).matches("\\d+ problems in the templates");
    }

    @Test
    void aTaskerCoreTemplateIsValidAndItsWarningsArePrinted() {
        Path file = Templates.write(dir, "greeting_handler.yaml", TemplateDiscoveryTest.TASKER_CORE_TEMPLATE);

        CommandRun run = CommandRun.run(Map.of(), "template", "validate", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly("ok: " + file + " (acme_core/greeting@1.0.0, 2 steps)");
        assertThat(run.err().lines()).containsExactly(TemplateDiscoveryTest.limitWarning(file));
    }

    @Test
    void warningsArePrintedBesideTheProblemsOfOtherFiles() {
        Path good = Templates.write(dir, "greeting_handler.yaml", TemplateDiscoveryTest.TASKER_CORE_TEMPLATE);
        Path bad = Templates.write(dir, "routing.yaml", TemplateDiscoveryTest.TASKER_CORE_TEMPLATE
                .replace("name: greeting", "name: routing").replace("timeout_seconds: 10", "timeout_seconds: 10\n"
                        + "      - name: helo\n        timeout_seconds: 5"));

        CommandRun run = CommandRun.run(Map.of("TASKER_ENV", "production"), "template", "validate", good.toString(),
                bad.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().lines()).containsExactly(
                TemplateDiscoveryTest.limitWarning(good),
                bad + ":36: step 'helo': no step 'helo' to override; did you mean 'hello'?",
                "1 problem in the templates");
    }

    @Test
    void aFolderWithoutTemplatesIsAProblem() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        CommandRun run = CommandRun.run(Map.of(), "template", "validate", empty.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).startsWith(empty + ": no template files (*.yaml, *.yml) in this folder");
    }

    @Test
    void withoutFilesItIsAUsageError() {
        CommandRun run = CommandRun.run(Map.of(), "template", "validate");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).contains("Missing required parameter");
    }
}
