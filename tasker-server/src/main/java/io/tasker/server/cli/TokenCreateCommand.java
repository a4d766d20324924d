package io.tasker.server.cli;

import io.tasker.core.TaskerException;
import io.tasker.server.api.ApiToken;
import io.tasker.server.api.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tasker token create NAME --scope SCOPE}: a new random token, printed this once, and the
 * line that lets a server accept it. The server keeps only the token's hash, so a lost token is
 * replaced, never recovered.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Make a new random API token and print it once, with the line to add to the API tokens file "
                + "(--api-tokens FILE of tasker dev and tasker server).",
                "The file holds only the token's SHA-256, so keep the token now: it cannot be shown again."})
final class TokenCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Who or what uses the token (e.g. ci, alice); operator actions "
            + "record it as their actor.")
    String name;

    @Option(names = "--scope", required = true, paramLabel = "SCOPE",
            description = "read (every GET, /metrics), write (also create and cancel tasks, retry steps) or admin "
                    + "(also resolve and complete steps, resolve dead letters).")
    String scope;

    @Override
    public Integer call() {
        ApiToken.Created created;
        try {
            created = ApiToken.create(name, Scope.parse(scope.strip().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new TaskerException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("API token " + name + " (scope " + created.apiToken().scope().label() + "), shown only this once:");
        out.println();
        out.println("  " + created.token());
        out.println();
        out.println("Add this line to the API tokens file and restart the server with --api-tokens FILE:");
        out.println();
        out.println("  " + created.line());
        out.println();
        out.println("Clients send it as 'Authorization: Bearer TOKEN'; the tasker commands take --token or TASKER_TOKEN.");
        out.flush();
        return 0;
    }
}
