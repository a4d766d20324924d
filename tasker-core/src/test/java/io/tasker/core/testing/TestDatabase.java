package io.tasker.core.testing;

import io.tasker.core.db.Database;

import javax.sql.DataSource;

/** A migrated, throw-away database; closing it drops it. */
public final class TestDatabase implements AutoCloseable {
    private final TestServer server;
    private final String name;
    private final Database database;

    TestDatabase(TestServer server, String name, Database database) {
        this.server = server;
        this.name = name;
        this.database = database;
    }

    public Database database() {
        return database;
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    public TestServer server() {
        return server;
    }

    @Override
    public void close() {
        database.close();
        server.drop(name);
    }

    @Override
    public String toString() {
        return server.label() + "/" + name;
    }
}
