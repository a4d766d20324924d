package io.tasker.server.dev;

import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.Database;
import io.tasker.core.db.EmbeddedDatabase;
import org.flywaydb.core.api.output.MigrateResult;

import java.nio.file.Path;

/**
 * Tasker in one process for a developer machine: an embedded PostgreSQL whose data survives
 * restarts, with the schema migrated. Closing it shuts everything down, PostgreSQL last.
 */
public final class DevMode implements AutoCloseable {
    private static final int POOL_SIZE = 10;

    private final EmbeddedDatabase postgres;
    private final Database database;
    private final MigrateResult migration;

    private DevMode(EmbeddedDatabase postgres, Database database, MigrateResult migration) {
        this.postgres = postgres;
        this.database = database;
        this.migration = migration;
    }

    public static DevMode start(TaskerConfig config) {
        EmbeddedDatabase postgres = EmbeddedDatabase.start(config.dataDir(), config.databasePort(), true);
        Database database = null;
        try {
            database = Database.connect(postgres.url(), POOL_SIZE);
            return new DevMode(postgres, database, database.migrate());
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            postgres.close();
            throw e;
        }
    }

    /** The address other tools (psql, {@code --database-url}) reach this PostgreSQL at. */
    public String databaseUrl() {
        return "postgresql://" + EmbeddedDatabase.USER + "@localhost:" + postgres.port() + "/" + EmbeddedDatabase.DATABASE;
    }

    public Path dataDirectory() {
        return postgres.dataDirectory();
    }

    public Database database() {
        return database;
    }

    public MigrateResult migration() {
        return migration;
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            postgres.close();
        }
    }
}
