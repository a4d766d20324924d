package io.tasker.core.testing;

import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.db.EmbeddedDatabase;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL servers tests run against: the embedded one (always; one per JVM, started on
 * first use) and the external one named by {@code TASKER_TEST_DATABASE_URL} when that is set.
 * Store and queue tests run against {@link #all()}; other tests use {@link #primary()}.
 */
public final class TestDatabases {
    public static final String ENV = "TASKER_TEST_DATABASE_URL";

    private static TestServer embedded;

    private TestDatabases() {}

    public static synchronized TestServer embedded() {
        if (embedded == null) {
            try {
                var dir = Files.createTempDirectory("tasker-test-pg");
                EmbeddedDatabase server = EmbeddedDatabase.start(dir, 0, false);
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-postgres-stop"));
                embedded = new TestServer("embedded", server.url());
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a folder for the embedded PostgreSQL", e);
            }
        }
        return embedded;
    }

    public static TestServer external() {
        String url = System.getenv(ENV);
        return url == null || url.isBlank() ? null : new TestServer("external", DatabaseUrl.parse(url));
    }

    /** Every server the store tests should run against. */
    public static List<TestServer> all() {
        List<TestServer> servers = new ArrayList<>();
        servers.add(embedded());
        TestServer external = external();
        if (external != null) {
            servers.add(external);
        }
        return servers;
    }

    /** The one server end-to-end tests use: the external one when configured, else embedded. */
    public static TestServer primary() {
        TestServer external = external();
        return external != null ? external : embedded();
    }
}
