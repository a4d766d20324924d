package io.tasker.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskerConfigTest {
    private static final Map<String, String> ENV = Map.of(
            "TASKER_DATABASE_URL", "postgresql://env@db:5432/tasker",
            "TASKER_PORT", "9090",
            "TASKER_DATA_DIR", "/var/lib/tasker",
            "TASKER_DB_PORT", "15432");

    @Test
    void everySettingHasADefaultExceptTheExternalDatabase() {
        assertThat(TaskerConfig.defaults()).isEqualTo(
                new TaskerConfig(Optional.empty(), 8080, Path.of(".tasker/postgres"), 0));
    }

    @Test
    void theEnvironmentOverridesDefaults() {
        assertThat(TaskerConfig.resolve(TaskerConfig.Flags.none(), ENV)).isEqualTo(
                new TaskerConfig(Optional.of("postgresql://env@db:5432/tasker"), 9090, Path.of("/var/lib/tasker"), 15432));
    }

    @Test
    void flagsOverrideTheEnvironment() {
        var flags = new TaskerConfig.Flags("postgresql://flag@db/tasker", 7070, Path.of("here"), 25432);

        assertThat(TaskerConfig.resolve(flags, ENV)).isEqualTo(
                new TaskerConfig(Optional.of("postgresql://flag@db/tasker"), 7070, Path.of("here"), 25432));
    }

    @Test
    void databaseUrlIsTheFallbackForTaskerDatabaseUrl() {
        Map<String, String> both = Map.of("DATABASE_URL", "postgresql://plain@db/app",
                "TASKER_DATABASE_URL", "postgresql://tasker@db/app");

        assertThat(TaskerConfig.resolve(TaskerConfig.Flags.none(), Map.of("DATABASE_URL", "postgresql://plain@db/app"))
                .databaseUrl()).contains("postgresql://plain@db/app");
        assertThat(TaskerConfig.resolve(TaskerConfig.Flags.none(), both).databaseUrl())
                .contains("postgresql://tasker@db/app");
        assertThat(TaskerConfig.resolve(new TaskerConfig.Flags("postgresql://flag@db/app", null, null, null), both)
                .databaseUrl()).contains("postgresql://flag@db/app");
        assertThat(TaskerConfig.resolve(TaskerConfig.Flags.none(),
                Map.of("TASKER_DATABASE_URL", " ", "DATABASE_URL", "postgresql://plain@db/app")).databaseUrl())
                .contains("postgresql://plain@db/app");
    }

    @Test
    void blankVariablesCountAsUnset() {
        assertThat(TaskerConfig.resolve(TaskerConfig.Flags.none(), Map.of("TASKER_PORT", " ", "TASKER_DATABASE_URL", "")))
                .isEqualTo(TaskerConfig.defaults());
    }

    @Test
    void aBadPortNamesItsSource() {
        assertThatThrownBy(() -> TaskerConfig.resolve(TaskerConfig.Flags.none(), Map.of("TASKER_DB_PORT", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("TASKER_DB_PORT must be a port number (0-65535), got 'x'");
        assertThatThrownBy(() -> TaskerConfig.resolve(new TaskerConfig.Flags(null, 70000, null, null), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--port must be a port number (0-65535), got 70000");
    }
}
