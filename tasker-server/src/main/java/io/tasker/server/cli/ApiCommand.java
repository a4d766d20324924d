package io.tasker.server.cli;

import io.tasker.client.TaskerClient;
import io.tasker.client.TaskerClientException;
import io.tasker.client.TaskerClientOptions;
import io.tasker.core.TaskerException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A command that works through the REST API: it gets a client for {@code --url} and
 * {@code --token}, and a refusal or failure of a request becomes one line that says what to fix
 * in the command's terms (which flag or variable), where the client can only say what happened.
 */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiClientOptions api;

    /** Runs the command with a client; the exit status. */
    abstract int run(TaskerClient client) throws InterruptedException;

    @Override
    public final Integer call() throws InterruptedException {
        TaskerClientOptions options = ApiClientOptions.options(TaskerCommand.configuration(spec));
        try (TaskerClient client = TaskerClient.create(options)) {
            return run(client);
        } catch (TaskerClientException e) {
            throw new TaskerException(explain(e, options), e);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private static String explain(TaskerClientException e, TaskerClientOptions options) {
        if (e.isUnreachable()) {
            return "cannot reach Tasker at " + options.baseUrl()
                    + ": is `tasker dev` running? (or pass --url / set TASKER_URL)";
        }
        return switch (e.status()) {
            case 401 -> options.token() != null
                    ? "the API refused the token: " + e.serverMessage() + "; check --token or TASKER_TOKEN (HTTP 401)"
                    : "the API needs a token: pass --token or set TASKER_TOKEN (HTTP 401)";
            case 403 -> e.getMessage() + "; use a token with that scope (--token or TASKER_TOKEN)";
            default -> e.getMessage();
        };
    }
}
