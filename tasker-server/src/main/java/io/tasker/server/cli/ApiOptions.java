package io.tasker.server.cli;

import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.api.ApiTokens;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command that serves the REST API listens ({@code --host}, {@code --port}) and who may
 * use it ({@code --api-tokens}, {@code --allow-origin}, {@code --allow-host}).
 */
final class ApiOptions {
    static final String TOKENS_FILE_VARIABLE = "TASKER_API_TOKENS_FILE";

    @Option(names = "--port", paramLabel = "PORT",
            description = "HTTP port for the REST API (default: TASKER_PORT, else 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address the REST API binds to (default: TASKER_HOST, else " + ApiServer.DEFAULT_HOST
                    + "). Without --api-tokens the API is open and only a loopback address is allowed.")
    String host;

    @Option(names = "--api-tokens", paramLabel = "FILE",
            description = "Protect the API with the tokens in FILE, one a line: NAME SCOPE sha256:HEX (default: "
                    + TOKENS_FILE_VARIABLE + "; none: an open API). 'tasker token create' makes them.")
    Path tokensFile;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN",
            description = "Let web pages of ORIGIN (e.g. https://ops.example.com) call the API; repeatable. "
                    + "Requests from other origins than the server's own are refused.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "Also answer requests for the host NAME (the name clients reach the server by, e.g. "
                    + "behind a proxy); repeatable. Requests for other names than the server's are refused.")
    List<String> allowedHosts = new ArrayList<>();

    String host(CommandSpec command) {
        String fromEnv = TaskerCommand.root(command).environment().get("TASKER_HOST");
        return host != null ? host : fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : ApiServer.DEFAULT_HOST;
    }

    /** Tokens, origins and host names, the tokens file read (a file that cannot be is an error). */
    ApiSettings settings(CommandSpec command) {
        String fromEnv = TaskerCommand.root(command).environment().get(TOKENS_FILE_VARIABLE);
        Path file = tokensFile != null ? tokensFile : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv.strip())
                : null;
        return new ApiSettings(file == null ? ApiTokens.NONE : ApiTokens.read(file), allowedOrigins, allowedHosts);
    }
}
