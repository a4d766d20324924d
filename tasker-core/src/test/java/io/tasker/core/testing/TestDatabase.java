package io.tasker.core.testing;

import io.tasker.core.db.Database;

import javax.sql.DataSource;
import java.util.List;

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

    /**
     * Drops the database, after checking that every state change written to it was one the state
     * machine allows; a forbidden one fails the test that closes it.
     */
    @Override
    public void close() {
        List<StateChanges.Change> forbidden;
        // A connection of its own: the test may have closed the pool, or the process that owned it.
        try (Database reader = Database.connect(database.url(), 1)) {
            forbidden = StateChanges.forbidden(reader.dataSource());
        } finally {
            database.close();
            server.drop(name);
        }
        if (!forbidden.isEmpty()) {
            throw new AssertionError("state changes the state machine does not allow were written: " + forbidden);
        }
    }

    @Override
    public String toString() {
        return server.label() + "/" + name;
    }
}
