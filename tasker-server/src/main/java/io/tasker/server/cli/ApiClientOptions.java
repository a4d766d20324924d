package io.tasker.server.cli;

import io.tasker.client.TaskerClientOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --token} of every command that talks to a running Tasker over HTTP. */
final class ApiClientOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "The Tasker REST API (default: TASKER_URL, else " + TaskerClientOptions.DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API token, sent as 'Authorization: Bearer TOKEN' (default: TASKER_TOKEN; "
                    + "none for an open API).")
    String token;

    /** The client options for the chosen API and token. */
    TaskerClientOptions options(CommandSpec command) {
        try {
            return TaskerClientOptions.builder()
                    .baseUrl(chosen(command, url, "TASKER_URL", TaskerClientOptions.DEFAULT_URL))
                    .token(chosen(command, token, "TASKER_TOKEN", null))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), e.getMessage()
                    + " (from --url, --token or TASKER_URL, TASKER_TOKEN)");
        }
    }

    private static String chosen(CommandSpec command, String flag, String variable, String fallback) {
        String fromEnv = TaskerCommand.root(command).environment().get(variable);
        return flag != null ? flag : fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip() : fallback;
    }
}
