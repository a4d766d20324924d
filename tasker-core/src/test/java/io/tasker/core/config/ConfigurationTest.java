package io.tasker.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loader on a small catalogue of its own; Tasker's own settings are tested in tasker-server. */
class ConfigurationTest {
    enum Mode { FAST, SLOW_AND_STEADY }

    static final Setting<Integer> SLOTS = Setting.builder("worker.slots", SettingType.wholeNumber(1))
            .flag("--slots", "N").defaultValue(16).description("Slots.").build();
    static final Setting<Duration> LEASE = Setting.builder("worker.lease", SettingType.duration(false))
            .flag("--lease", "DURATION").defaultValue(Duration.ofSeconds(30)).description("Lease.").build();
    static final Setting<Duration> HEARTBEAT = Setting.builder("worker.heartbeat_interval", SettingType.duration(false))
            .flag("--heartbeat-interval", "DURATION")
            .derived(LEASE, "worker.lease / 3", values -> values.get(LEASE).dividedBy(3))
            .description("Heartbeat.").build();
    static final Setting<Mode> MODE = Setting.builder("worker.mode", SettingType.choice(Mode.class))
            .flag("--mode", "MODE").defaultValue(Mode.FAST).description("Mode.").build();
    static final Setting<String> URL = Setting.builder("database.url", SettingType.text())
            .variable("TASKER_DATABASE_URL").fallbackVariable("DATABASE_URL").flag("--database-url", "URL")
            .none("no database").description("Database.").build();
    static final Setting<List<String>> NAMESPACES = Setting.builder("worker.namespaces",
                    SettingType.list(SettingType.text(), ",", "namespaces"))
            .flag("--namespace", "NS").none("all of them").description("Namespaces.").build();
    static final Setting<List<Path>> PATH = Setting.builder("templates.path",
                    SettingType.list(SettingType.path(), ":", "folders"))
            .variable("TASKER_TEMPLATE_PATH").flag("--template-path", "PATH").none("none").description("Path.").build();
    static final Setting<String> TOKEN = Setting.builder("client.token", SettingType.text())
            .flag("--token", "TOKEN").secret().none("no token").description("Token.").build();
    static final Setting<Integer> PORT = Setting.builder("api.port", SettingType.port())
            .variable("TASKER_PORT").flag("--port", "PORT").defaultValue(8080).description("Port.").build();

    /** The heartbeat first: a derived setting may come before what it derives from. */
    static final List<Setting<?>> CATALOGUE = List.of(HEARTBEAT, SLOTS, LEASE, MODE, URL, NAMESPACES, PATH, TOKEN,
            PORT);

    @TempDir
    Path dir;

    private Configuration load(Map<String, List<String>> flags, Map<String, String> environment) {
        return Configuration.load(CATALOGUE, new Configuration.Inputs(flags, environment, dir, null));
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve(Configuration.FILE_NAME), yaml);
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws IOException {
        file("""
                worker:
                  slots: 5
                  lease: 12s
                  mode: slow_and_steady
                """);

        Configuration config = load(Map.of("--slots", List.of("3")), Map.of("TASKER_WORKER_SLOTS", "4",
                "TASKER_WORKER_LEASE", "9s"));

        assertThat(config.get(SLOTS)).isEqualTo(3);
        assertThat(config.source(SLOTS)).isEqualTo(new Source.Flag("--slots"));
        assertThat(config.get(LEASE)).isEqualTo(Duration.ofSeconds(9));
        assertThat(config.source(LEASE)).isEqualTo(new Source.Environment("TASKER_WORKER_LEASE"));
        assertThat(config.get(MODE)).isEqualTo(Mode.SLOW_AND_STEADY);
        assertThat(config.source(MODE).describe()).isEqualTo("file " + dir.resolve("tasker.yaml") + ":4");
        assertThat(config.get(PORT)).isEqualTo(8080);
        assertThat(config.source(PORT)).isEqualTo(new Source.Default());
        assertThat(config.given(PORT)).isFalse();
        assertThat(config.file()).contains(dir.resolve("tasker.yaml").toString());
    }

    @Test
    void aDerivedDefaultFollowsWhatItIsDerivedFromUnlessItIsGiven() {
        Configuration derived = load(Map.of("--lease", List.of("9s")), Map.of());
        Configuration given = load(Map.of("--lease", List.of("9s")), Map.of("TASKER_WORKER_HEARTBEAT_INTERVAL", "1s"));

        assertThat(derived.get(HEARTBEAT)).isEqualTo(Duration.ofSeconds(3));
        assertThat(derived.source(HEARTBEAT).describe()).isEqualTo("derived from worker.lease (worker.lease / 3)");
        assertThat(given.get(HEARTBEAT)).isEqualTo(Duration.ofSeconds(1));
        assertThat(derived.settings()).as("in catalogue order").startsWith(HEARTBEAT, SLOTS);
    }

    @Test
    void aBlankVariableIsUnsetAndAFallbackVariableIsReadWhenTheFirstIsNot() {
        assertThat(load(Map.of(), Map.of("TASKER_PORT", " ", "TASKER_DATABASE_URL", "")).get(PORT)).isEqualTo(8080);
        Configuration fallback = load(Map.of(), Map.of("DATABASE_URL", "postgresql://plain@db/app"));
        Configuration both = load(Map.of(), Map.of("DATABASE_URL", "postgresql://plain@db/app",
                "TASKER_DATABASE_URL", "postgresql://tasker@db/app"));

        assertThat(fallback.get(URL)).isEqualTo("postgresql://plain@db/app");
        assertThat(fallback.source(URL).describe()).isEqualTo("env DATABASE_URL");
        assertThat(both.get(URL)).isEqualTo("postgresql://tasker@db/app");
        assertThat(load(Map.of(), Map.of()).find(URL)).isEmpty();
    }

    @Test
    void listsComeAsRepeatedFlagsSeparatedTextOrYamlLists() throws IOException {
        assertThat(load(Map.of("--namespace", List.of("a", "b,c")), Map.of()).get(NAMESPACES))
                .containsExactly("a", "b", "c");
        assertThat(load(Map.of(), Map.of("TASKER_WORKER_NAMESPACES", "a, b,,c")).get(NAMESPACES))
                .containsExactly("a", "b", "c");
        file("worker.namespaces: [x, y]\ntemplates:\n  path: one:/abs/two\n");
        Configuration fromFile = load(Map.of(), Map.of());

        assertThat(fromFile.get(NAMESPACES)).containsExactly("x", "y");
        assertThat(fromFile.get(PATH)).as("relative to the file's folder")
                .containsExactly(dir.toAbsolutePath().resolve("one"), Path.of("/abs/two"));
        assertThat(fromFile.shown(PATH)).isEqualTo(dir.toAbsolutePath().resolve("one") + ":/abs/two");
    }

    @Test
    void aBadValueNamesWhereItCameFromAndWhatItMustBe() throws IOException {
        assertThatThrownBy(() -> load(Map.of("--slots", List.of("0")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("--slots must be a whole number ≥ 1, got '0'");
        assertThatThrownBy(() -> load(Map.of(), Map.of("TASKER_WORKER_SLOTS", "x")))
                .hasMessage("TASKER_WORKER_SLOTS must be a whole number ≥ 1, got 'x'");
        assertThatThrownBy(() -> load(Map.of(), Map.of("TASKER_PORT", "eighty")))
                .hasMessage("TASKER_PORT must be a port number (0-65535), got 'eighty'");
        assertThatThrownBy(() -> load(Map.of(), Map.of("TASKER_WORKER_MODE", "slow")))
                .hasMessage("TASKER_WORKER_MODE must be one of fast, slow_and_steady, got 'slow'");
        assertThatThrownBy(() -> load(Map.of("--lease", List.of("0s")), Map.of()))
                .hasMessage("--lease must be a duration longer than 0 such as 500ms, 30s, 5m or 1h, got '0s'");
        Path file = file("# settings\nworker:\n  slots: 2\n  lease: soon\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of()))
                .hasMessage(file + " line 4: worker.lease must be a duration longer than 0 such as 500ms, 30s, 5m "
                        + "or 1h, got 'soon'");
        file("worker:\n  slots: [1, 2]\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of()))
                .hasMessage(file + " line 2: worker.slots must be a whole number ≥ 1, got a list");
    }

    @Test
    void aSecretIsNeverShownNorQuoted() {
        Configuration config = load(Map.of("--token", List.of("tasker_s3cret")), Map.of());

        assertThat(config.get(TOKEN)).isEqualTo("tasker_s3cret");
        assertThat(config.shown(TOKEN)).isEqualTo("********");
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(load(Map.of(), Map.of()).shown(TOKEN)).isEqualTo("none");
    }

    @Test
    void anUnknownKeyInTheFileIsAnErrorWithItsLineAndTheSettingProbablyMeant() throws IOException {
        Path file = file("""
                worker:
                  slots: 3
                  heartbeat-interval: 5s
                wroker:
                  lease: 9s
                colour: blue
                """);

        assertThatThrownBy(() -> load(Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + " line 3: unknown setting 'worker.heartbeat-interval'; did you mean "
                        + "'worker.heartbeat_interval'?; " + file + " line 5: unknown setting 'wroker.lease'; did you "
                        + "mean 'worker.lease'?; " + file + " line 6: unknown setting 'colour'");
    }

    @Test
    void aFileThatIsNotYamlSaysWhereAndAnEmptyOneIsNoSettings() throws IOException {
        Path file = file("worker:\n  slots: 3\n    lease: 9s\n");
        assertThatThrownBy(() -> load(Map.of(), Map.of()))
                .hasMessageStartingWith(file + " line 3: YAML syntax error: ");

        file("# nothing set yet\n");
        assertThat(load(Map.of(), Map.of()).get(SLOTS)).isEqualTo(16);
    }

    @Test
    void theFileIsTheOneConfigOrTaskerConfigNamesAndOneThatIsMissingIsAnError() throws IOException {
        Files.writeString(dir.resolve("prod.yaml"), "worker.slots: 7\n");
        Files.writeString(dir.resolve("other.yaml"), "worker.slots: 8\n");
        file("worker.slots: 9\n");

        Configuration flagged = Configuration.load(CATALOGUE, new Configuration.Inputs(Map.of(),
                Map.of("TASKER_CONFIG", "other.yaml"), dir, "prod.yaml"));
        Configuration variable = Configuration.load(CATALOGUE, new Configuration.Inputs(Map.of(),
                Map.of("TASKER_CONFIG", "other.yaml"), dir, null));

        assertThat(flagged.get(SLOTS)).isEqualTo(7);
        assertThat(flagged.source(SLOTS).describe()).isEqualTo("file prod.yaml:1");
        assertThat(variable.get(SLOTS)).isEqualTo(8);
        assertThatThrownBy(() -> Configuration.load(CATALOGUE, new Configuration.Inputs(Map.of(), Map.of(), dir,
                "missing.yaml"))).isInstanceOf(ConfigException.class).hasMessage("--config missing.yaml: no such file");
        assertThatThrownBy(() -> Configuration.load(CATALOGUE, new Configuration.Inputs(Map.of(),
                Map.of("TASKER_CONFIG", "gone.yaml"), dir, null))).hasMessage("TASKER_CONFIG=gone.yaml: no such file");
    }

    @Test
    void aVariableThatLooksLikeAMisspeltSettingIsWarnedAbout() {
        Configuration config = load(Map.of(), Map.of("TASKER_WORKER_SLOT", "3", "TASKER_DEBUG", "1",
                "TASKER_SOMETHING_ELSE", "x", "PATH", "/bin"));

        assertThat(config.warnings()).containsExactly(
                "TASKER_WORKER_SLOT is not a Tasker setting; did you mean 'TASKER_WORKER_SLOTS'?");
    }

    @Test
    void durationsReadAsPeopleWriteThemAndAreWrittenBackInTheLargestExactUnit() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse(" 2m ")).contains(Duration.ofMinutes(2));
        assertThat(Durations.parse("PT1M30S")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("soon")).isEmpty();
        assertThat(Durations.parse("99999999999999999999s")).isEmpty();
        assertThat(List.of(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofHours(1),
                Duration.ZERO).stream().map(Durations::format)).containsExactly("500ms", "30s", "90s", "1h", "0s");
    }
}
