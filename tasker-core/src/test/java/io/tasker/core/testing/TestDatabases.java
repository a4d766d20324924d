package io.tasker.core.testing;

import io.tasker.core.db.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL servers tests run against: the embedded one (always; one per JVM, started on
 * first use) and the external one named by {@code TASKER_TEST_DATABASE_URL} when that is set.
 * Store and queue tests run against {@link #all()}; other tests use {@link #primary()}.
 *
 * <p>The embedded one is a throw-away server in a temporary folder, started with the library
 * directly rather than with tasker-dev's {@code EmbeddedDatabase}: tasker-dev depends on the
 * modules whose tests use this.
 */
public final class TestDatabases {
    public static final String ENV = "TASKER_TEST_DATABASE_URL";

    private static TestServer embedded;

    private TestDatabases() {}

    public static synchronized TestServer embedded() {
        if (embedded == null) {
            try {
                // The library removes the folder and stops the server when the JVM exits.
                EmbeddedPostgres server = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
                embedded = new TestServer("embedded", DatabaseUrl.of("localhost", server.getPort(), "postgres", "postgres"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL of the tests", e);
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
