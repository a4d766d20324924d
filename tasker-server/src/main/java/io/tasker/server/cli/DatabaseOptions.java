package io.tasker.server.cli;

import io.tasker.core.config.ConfigException;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.db.PasswordFile;
import io.tasker.server.config.Settings;
import picocli.CommandLine.Command;

import java.util.List;

/** The {@code --database-url} of every command that works on an external PostgreSQL. */
@Command // a mixin whose options SettingFlags makes
final class DatabaseOptions implements TakesSettings {
    @Override
    public List<Setting<?>> settings() {
        return List.of(Settings.DATABASE_URL);
    }

    /**
     * The database to use. A URL without a password that names the embedded PostgreSQL of a
     * running {@code tasker dev} on the data directory (as its banner prints it) gets that
     * server's password from the directory.
     */
    static DatabaseUrl require(Configuration config) {
        String url = config.find(Settings.DATABASE_URL).orElseThrow(() -> new ConfigException(
                "no database given: pass --database-url postgresql://user@host:port/db or set TASKER_DATABASE_URL "
                        + "(or DATABASE_URL, or database.url in " + Configuration.FILE_NAME + ")"));
        DatabaseUrl parsed;
        try {
            parsed = DatabaseUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.where(Settings.DATABASE_URL) + ": " + e.getMessage());
        }
        return PasswordFile.forServer(parsed, config.get(Settings.DATA_DIR).toAbsolutePath())
                .map(parsed::withPassword).orElse(parsed);
    }
}
