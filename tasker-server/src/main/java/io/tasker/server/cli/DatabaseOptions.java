package io.tasker.server.cli;

import io.tasker.core.config.ConfigException;
import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.db.PasswordFile;
import picocli.CommandLine.Option;

/** The {@code --database-url} option of every command that works on an external PostgreSQL. */
final class DatabaseOptions {
    @Option(names = "--database-url", paramLabel = "URL",
            description = "The PostgreSQL to use, as postgresql://user[:password]@host:port/db or jdbc:postgresql://... "
                    + "(default: TASKER_DATABASE_URL, else DATABASE_URL).")
    String databaseUrl;

    TaskerConfig.Flags flags() {
        return new TaskerConfig.Flags(databaseUrl, null, null, null);
    }

    /**
     * The database to use. A URL without a password that names the embedded PostgreSQL of a
     * running {@code tasker dev} on the data directory (as its banner prints it) gets that
     * server's password from the directory.
     */
    static DatabaseUrl require(TaskerConfig config) {
        String url = config.databaseUrl().orElseThrow(() -> new ConfigException(
                "no database given: pass --database-url postgresql://user@host:port/db or set TASKER_DATABASE_URL "
                        + "(or DATABASE_URL)"));
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        return PasswordFile.forServer(parsed, config.dataDir().toAbsolutePath()).map(parsed::withPassword).orElse(parsed);
    }
}
