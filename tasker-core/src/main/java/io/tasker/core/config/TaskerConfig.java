package io.tasker.core.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one Tasker process. Each comes from its command-line flag if given, else from
 * its {@code TASKER_*} environment variable, else from a default that is safe on a developer
 * machine; only the external database has no default, because guessing one would be unsafe.
 *
 * @param databaseUrl  the external PostgreSQL ({@code --database-url}, else {@code TASKER_DATABASE_URL}, else
 *                     {@code DATABASE_URL}, the name tasker-core and most hosting platforms use)
 * @param port         the HTTP port ({@code --port}, {@code TASKER_PORT}, default 8080)
 * @param dataDir      where {@code tasker dev} keeps its embedded PostgreSQL data
 *                     ({@code --data-dir}, {@code TASKER_DATA_DIR}, default {@code .tasker/postgres})
 * @param databasePort the port of the embedded PostgreSQL ({@code --db-port}, {@code TASKER_DB_PORT},
 *                     default 0: any free port)
 */
public record TaskerConfig(Optional<String> databaseUrl, int port, Path dataDir, int databasePort) {
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of(".tasker", "postgres");
    public static final int DEFAULT_DATABASE_PORT = 0;

    /** Settings given as command-line flags; null where the flag was not given. */
    public record Flags(String databaseUrl, Integer port, Path dataDir, Integer databasePort) {
        public static Flags none() {
            return new Flags(null, null, null, null);
        }
    }

    public TaskerConfig {
        checkPort(port, "port");
        checkPort(databasePort, "database port");
    }

    public static TaskerConfig defaults() {
        return resolve(Flags.none(), Map.of());
    }

    public static TaskerConfig resolve(Flags flags, Map<String, String> env) {
        return new TaskerConfig(
                Optional.ofNullable(flags.databaseUrl()).or(() -> env(env, "TASKER_DATABASE_URL"))
                        .or(() -> env(env, "DATABASE_URL")),
                port(flags.port(), "--port", env, "TASKER_PORT", DEFAULT_PORT),
                Optional.ofNullable(flags.dataDir()).or(() -> env(env, "TASKER_DATA_DIR").map(Path::of))
                        .orElse(DEFAULT_DATA_DIR),
                port(flags.databasePort(), "--db-port", env, "TASKER_DB_PORT", DEFAULT_DATABASE_PORT));
    }

    private static int port(Integer flag, String flagName, Map<String, String> env, String envName, int fallback) {
        if (flag != null) {
            return checkPort(flag, flagName);
        }
        Optional<String> fromEnv = env(env, envName);
        if (fromEnv.isEmpty()) {
            return fallback;
        }
        try {
            return checkPort(Integer.parseInt(fromEnv.get()), envName);
        } catch (NumberFormatException e) {
            throw new ConfigException(envName + " must be a port number (0-65535), got '" + fromEnv.get() + "'");
        }
    }

    private static int checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new ConfigException(name + " must be a port number (0-65535), got " + port);
        }
        return port;
    }

    /** A blank variable counts as unset, as shells and CI files often export empty values. */
    private static Optional<String> env(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
