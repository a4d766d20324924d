package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.server.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tasker config show}, and how every command takes a configuration that is wrong: one line,
 * naming where the wrong value is, before anything starts.
 */
class ConfigCommandTest {
    private static final String FILE = """
            # the settings of this machine
            database:
              url: postgresql://app:s3cret@db.internal:5432/tasker
            worker:
              slots: 3
            api.allowed_hosts: [tasker.internal, 10.0.0.5]
            """;

    @TempDir
    Path dir;

    private CommandRun run(Map<String, String> environment, String... args) {
        return CommandRun.run(TaskerCommand.commandLine(new TaskerCommand(environment, "tasker", dir)), args);
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("tasker.yaml"), yaml);
    }

    /** The value and source columns of a setting's row. */
    private static List<String> row(CommandRun run, String key) {
        String line = run.out().lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no row for " + key + " in\n" + run.out()));
        return List.of(line.substring(key.length()).strip().split(" {2,}", 2));
    }

    @Test
    void showPrintsEverySettingWithWhereItCameFromAndMasksSecrets() throws IOException {
        Path file = file(FILE);

        CommandRun run = run(Map.of("TASKER_PORT", "9090", "TASKER_TOKEN", "tasker_t0ken"), "config", "show",
                "--lease", "9s");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("configuration file: " + file + "\n\nSETTING ")
                .doesNotContain("s3cret").doesNotContain("tasker_t0ken");
        assertThat(run.out().lines()).hasSize(3 + Settings.ALL.size());
        assertThat(row(run, "database.url")).containsExactly("postgresql://app:***@db.internal:5432/tasker",
                "file " + file + ":3");
        assertThat(row(run, "database.pool_size")).containsExactly("7",
                "derived from worker.slots (worker.slots + 4; tasker server: 20)");
        assertThat(row(run, "worker.slots")).containsExactly("3", "file " + file + ":5");
        assertThat(row(run, "worker.lease")).containsExactly("9s", "flag --lease");
        assertThat(row(run, "worker.heartbeat_interval")).containsExactly("3s",
                "derived from worker.lease (worker.lease / 3)");
        assertThat(row(run, "api.port")).containsExactly("9090", "env TASKER_PORT");
        assertThat(row(run, "api.allowed_hosts")).containsExactly("tasker.internal,10.0.0.5", "file " + file + ":6");
        assertThat(row(run, "api.host")).containsExactly("127.0.0.1", "default");
        assertThat(row(run, "client.token")).containsExactly("********", "env TASKER_TOKEN");
        assertThat(row(run, "api.tokens_file")).containsExactly("none", "default");
    }

    @Test
    void showAsJsonHasEverySettingWithItsVariableAndFlag() throws IOException {
        Path file = file(FILE);

        CommandRun run = run(Map.of(), "config", "show", "--json", "--config", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.parse(run.out());
        assertThat(json.get("file").asText()).isEqualTo(file.toString());
        assertThat(json.get("settings")).hasSize(Settings.ALL.size());
        JsonNode slots = json.get("settings").get(Settings.ALL.indexOf(Settings.SLOTS));
        assertThat(slots.get("key").asText()).isEqualTo("worker.slots");
        assertThat(slots.get("value").asText()).isEqualTo("3");
        assertThat(slots.get("source").asText()).isEqualTo("file " + file + ":5");
        assertThat(slots.get("variable").asText()).isEqualTo("TASKER_WORKER_SLOTS");
        assertThat(slots.get("flag").asText()).isEqualTo("--slots");
        assertThat(json.get("settings").get(Settings.ALL.indexOf(Settings.API_TOKENS_FILE)).get("value").isNull())
                .isTrue();
        assertThat(run.out()).doesNotContain("s3cret");
    }

    @Test
    void withoutAFileTheDefaultsAreShownAndSaySo() {
        CommandRun run = run(Map.of(), "config", "show");

        assertThat(run.out()).startsWith("configuration file: none (no tasker.yaml in the working directory, "
                + "no --config, no TASKER_CONFIG)");
        assertThat(row(run, "worker.slots")).containsExactly("16", "default");
        assertThat(row(run, "database.url")).containsExactly("none", "default");
    }

    @Test
    void anUnknownKeyIsOneLineWithTheFileTheLineAndTheSettingProbablyMeant() throws IOException {
        Path file = file("worker:\n  slots: 3\n  heartbeat: 5s\n");
        String expected = "error: " + file + " line 3: unknown setting 'worker.heartbeat'; did you mean "
                + "'worker.heartbeat_interval'?\n";

        CommandRun show = run(Map.of(), "config", "show");
        CommandRun worker = run(Map.of(), "worker");
        CommandRun client = run(Map.of(), "task", "list");

        for (CommandRun run : List.of(show, worker, client)) {
            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.err()).isEqualTo(expected);
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void aBadValueIsOneLineNamingItsSource() throws IOException {
        CommandRun flag = run(Map.of(), "worker", "--slots", "many");
        CommandRun variable = run(Map.of("TASKER_WORKER_SLOTS", "0"), "worker");
        CommandRun duration = run(Map.of(), "dev", "--lease", "30");
        CommandRun mode = run(Map.of("TASKER_WORKER_DEPLOYMENT_MODE", "push"), "config", "show");
        Path file = file("worker:\n  slots: three\n");
        CommandRun inFile = run(Map.of(), "dev");

        assertThat(flag.err()).isEqualTo("error: --slots must be a whole number ≥ 1, got 'many'\n");
        assertThat(variable.err()).isEqualTo("error: TASKER_WORKER_SLOTS must be a whole number ≥ 1, got '0'\n");
        assertThat(duration.err()).isEqualTo("error: --lease must be a duration longer than 0 such as 500ms, 30s, "
                + "5m or 1h, got '30'\n");
        assertThat(mode.err()).isEqualTo("error: TASKER_WORKER_DEPLOYMENT_MODE must be one of polling, event_driven, "
                + "hybrid, got 'push'\n");
        assertThat(inFile.err()).isEqualTo("error: " + file + " line 2: worker.slots must be a whole number ≥ 1, "
                + "got 'three'\n");
        assertThat(List.of(flag, variable, duration, mode, inFile)).allSatisfy(run -> {
            assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
            assertThat(run.out()).isEmpty();
        });
        assertThat(dir.resolve(".tasker")).as("dev started nothing").doesNotExist();
    }

    @Test
    void settingsThatCannotGoTogetherAreOneLineNamingBoth() {
        CommandRun heartbeat = run(Map.of("TASKER_WORKER_LEASE", "10s"), "worker", "--heartbeat-interval", "10s");
        CommandRun polling = run(Map.of(), "dev", "--poll-interval", "5s", "--max-poll-interval", "1s");

        assertThat(heartbeat.err()).isEqualTo("error: --heartbeat-interval (10s) must be shorter than worker.lease "
                + "(10s, env TASKER_WORKER_LEASE), or claims expire while their steps run\n");
        assertThat(polling.err()).isEqualTo("error: --max-poll-interval (1s) must not be shorter than "
                + "worker.poll_interval (5s, flag --poll-interval)\n");
    }

    @Test
    void aConfigFileThatIsNotThereIsAnError() {
        CommandRun flag = run(Map.of(), "server", "--config", "production.yaml");
        CommandRun variable = run(Map.of("TASKER_CONFIG", "staging.yaml"), "config", "show");

        assertThat(flag.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(flag.err()).isEqualTo("error: --config production.yaml: no such file\n");
        assertThat(variable.err()).isEqualTo("error: TASKER_CONFIG=staging.yaml: no such file\n");
    }

    @Test
    void aVariableThatLooksLikeAMisspeltSettingIsAWarning() {
        CommandRun run = run(Map.of("TASKER_WORKER_SLOT", "3"), "config", "show");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEqualTo("warning: TASKER_WORKER_SLOT is not a Tasker setting; did you mean "
                + "'TASKER_WORKER_SLOTS'?\n");
        assertThat(row(run, "worker.slots")).containsExactly("16", "default");
    }

    @Test
    void theHelpOfEveryCommandThatTakesSettingsNamesConfigAndEachSettingsVariable() {
        for (String[] command : List.of(new String[] {"dev"}, new String[] {"server"}, new String[] {"worker"},
                new String[] {"db", "migrate"}, new String[] {"task", "list"}, new String[] {"template", "validate"},
                new String[] {"config", "show"})) {
            CommandRun help = run(Map.of(), Stream.concat(Arrays.stream(command), Stream.of("--help"))
                    .toArray(String[]::new));

            assertThat(help.out()).as(String.join(" ", command)).contains("--config=FILE").contains("TASKER_CONFIG");
        }
        assertThat(run(Map.of(), "worker", "--help").out()).contains("--slots=N").contains("TASKER_WORKER_SLOTS")
                .contains("--pool-size=N").doesNotContain("--port");
        assertThat(run(Map.of(), "server", "--help").out()).contains("--stale-task-age=DURATION")
                .doesNotContain("--slots");
    }
}
