package io.tasker.server.cli;

import io.tasker.server.client.TaskerClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The {@code --url} option of every command that talks to a running Tasker over HTTP. */
final class ApiUrlOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "The Tasker REST API (default: TASKER_URL, else " + TaskerClient.DEFAULT_URL + ").")
    String url;

    TaskerClient client(CommandSpec command) {
        String fromEnv = TaskerCommand.root(command).environment().get("TASKER_URL");
        String chosen = url != null ? url
                : fromEnv != null && !fromEnv.isBlank() ? fromEnv.strip()
                : TaskerClient.DEFAULT_URL;
        return new TaskerClient(chosen);
    }
}
