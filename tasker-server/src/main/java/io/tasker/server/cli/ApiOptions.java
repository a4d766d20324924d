package io.tasker.server.cli;

import io.tasker.server.api.ApiServer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where a command that serves the REST API listens: {@code --host} and {@code --port}. */
final class ApiOptions {
    @Option(names = "--port", paramLabel = "PORT",
            description = "HTTP port for the REST API (default: TASKER_PORT, else 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address the REST API binds to (default: TASKER_HOST, else " + ApiServer.DEFAULT_HOST
                    + "; the API has no authentication, so bind elsewhere only on a trusted network).")
    String host;

    String host(CommandSpec command) {
        String fromEnv = TaskerCommand.root(command).environment().get("TASKER_HOST");
        return host != null ? host : fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : ApiServer.DEFAULT_HOST;
    }
}
