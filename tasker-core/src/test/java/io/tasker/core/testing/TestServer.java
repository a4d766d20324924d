package io.tasker.core.testing;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;

import java.util.UUID;

/** A PostgreSQL server that tests create throw-away databases on. */
public record TestServer(String label, DatabaseUrl adminUrl) {

    /**
     * Creates a new empty database on this server, migrated to the current schema, with every state
     * change logged for {@link StateChanges}.
     */
    public TestDatabase createDatabase() {
        String name = "tasker_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Database admin = Database.connect(adminUrl, 1)) {
            Jdbc.withConnection(admin.dataSource(), c -> Jdbc.update(c, "create database " + name));
        }
        Database database = Database.connect(adminUrl.withDatabase(name), 20);
        database.migrate();
        StateChanges.install(database.dataSource());
        return new TestDatabase(this, name, database);
    }

    void drop(String name) {
        try (Database admin = Database.connect(adminUrl, 1)) {
            Jdbc.withConnection(admin.dataSource(), c -> Jdbc.update(c, "drop database if exists " + name + " with (force)"));
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
