package io.tasker.bench;

import javax.sql.DataSource;

/**
 * Starts the REST API for the scenarios that go through it. The API server lives in
 * {@code tasker-server}, which depends on this module for its {@code bench} command, so the
 * command hands it in here rather than this module depending on the server.
 */
@FunctionalInterface
public interface ApiLauncher {

    /** Serves the REST API on {@code dataSource} on a free local port. */
    RunningApi start(DataSource dataSource);

    /** A started API: where clients reach it and how to stop it. */
    record RunningApi(String baseUrl, AutoCloseable server) {}
}
