package io.tasker.server.dev;

import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.Database;
import io.tasker.core.db.EmbeddedDatabase;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateRegistry;
import org.flywaydb.core.api.output.MigrateResult;

import java.nio.file.Path;
import java.util.List;

/**
 * Tasker in one process for a developer machine: an embedded PostgreSQL whose data survives
 * restarts, with the schema migrated and the given templates registered. Closing it shuts
 * everything down, PostgreSQL last.
 */
public final class DevMode implements AutoCloseable {
    private static final int POOL_SIZE = 10;

    private final EmbeddedDatabase postgres;
    private final Database database;
    private final MigrateResult migration;
    private final List<TemplateRegistration> templates;

    private DevMode(EmbeddedDatabase postgres, Database database, MigrateResult migration,
                    List<TemplateRegistration> templates) {
        this.postgres = postgres;
        this.database = database;
        this.migration = migration;
        this.templates = templates;
    }

    /**
     * Starts PostgreSQL, migrates, and registers {@code templates}. A template that conflicts with
     * a registered one fails the start, and then none of them is registered.
     */
    public static DevMode start(TaskerConfig config, List<TemplateLoadResult.Loaded> templates) {
        EmbeddedDatabase postgres = EmbeddedDatabase.start(config.dataDir(), config.databasePort(), true);
        Database database = null;
        try {
            database = Database.connect(postgres.url(), POOL_SIZE);
            MigrateResult migration = database.migrate();
            return new DevMode(postgres, database, migration, register(database, templates));
        } catch (RuntimeException e) {
            if (database != null) {
                database.close();
            }
            postgres.close();
            throw e;
        }
    }

    private static List<TemplateRegistration> register(Database database, List<TemplateLoadResult.Loaded> templates) {
        TemplateRegistry registry = new TemplateRegistry(database.dataSource());
        return Jdbc.inTransaction(database.dataSource(), connection -> templates.stream()
                .map(t -> new TemplateRegistration(t.template(), t.source(),
                        registry.register(connection, t.template(), t.source())))
                .toList());
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

    public List<TemplateRegistration> templates() {
        return templates;
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
