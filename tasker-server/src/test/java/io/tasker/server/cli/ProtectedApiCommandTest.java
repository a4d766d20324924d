package io.tasker.server.cli;

import io.tasker.client.NewTask;
import io.tasker.client.Task;
import io.tasker.client.TaskQuery;
import io.tasker.client.TaskerClient;
import io.tasker.client.TaskerClientException;
import io.tasker.client.TaskerClientOptions;
import io.tasker.server.ClientTasks;
import io.tasker.server.RunningApi;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.api.ApiToken;
import io.tasker.server.api.ApiTokens;
import io.tasker.server.api.Scope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The client and every API command against an API protected by tokens: the token comes from
 * {@code --token} or {@code TASKER_TOKEN} and is sent as a bearer token, and a missing, unknown or
 * too small token is reported with what to do.
 */
class ProtectedApiCommandTest {
    private static final String NEEDS_TOKEN = "error: the API needs a token: pass --token or set TASKER_TOKEN "
            + "(HTTP 401)";
    private static final String ANY_ID = "01a22171-8e7a-7baf-b441-ba2bed6a0aec";

    /** Every command that talks to the API, with arguments it accepts. */
    private static final List<List<String>> API_COMMANDS = List.of(
            List.of("task", "create", "examples/linear_workflow", "--context", "{\"even_number\": 2}"),
            List.of("task", "list"),
            List.of("task", "get", ANY_ID),
            List.of("task", "watch", ANY_ID),
            List.of("task", "cancel", ANY_ID),
            List.of("step", "list"),
            List.of("step", "retry", ANY_ID, ANY_ID),
            List.of("step", "resolve", ANY_ID, ANY_ID),
            List.of("step", "complete", ANY_ID, ANY_ID, "--result", "{}"),
            List.of("template", "list"),
            List.of("template", "show", "examples/linear_workflow"),
            List.of("template", "graph", "examples/linear_workflow"),
            List.of("dlq", "list"),
            List.of("dlq", "show", ANY_ID),
            List.of("dlq", "resolve", ANY_ID, "--reason", "x"),
            List.of("dlq", "stats"));

    private static final ApiToken.Created READER = ApiToken.create("dashboard", Scope.READ);
    private static final ApiToken.Created OPERATOR = ApiToken.create("ops", Scope.WRITE);
    private static final ApiToken.Created ADMIN = ApiToken.create("root", Scope.ADMIN);

    @RegisterExtension
    static final RunningApi api = new RunningApi(new ApiSettings(ApiTokens.of(List.of(READER.apiToken(),
            OPERATOR.apiToken(), ADMIN.apiToken())), List.of(), List.of()));

    private static TaskerClient client(ApiToken.Created token) {
        return TaskerClient.create(TaskerClientOptions.builder().baseUrl(api.url())
                .token(token == null ? null : token.token()).build());
    }

    private static CommandRun run(Map<String, String> environment, List<String> args) {
        return CommandRun.run(environment, args.toArray(String[]::new));
    }

    @Test
    void theClientSendsItsTokenAndTellsAMissingOneFromATooSmallOne() {
        try (TaskerClient anonymous = client(null); TaskerClient read = client(READER);
             TaskerClient write = client(OPERATOR)) {
            TaskerClientException missing = catchThrowableOfType(TaskerClientException.class,
                    () -> anonymous.listTasks(TaskQuery.all()));
            TaskerClientException tooSmall = catchThrowableOfType(TaskerClientException.class,
                    () -> read.createTask(NewTask.builder("examples", "linear_workflow").build()));

            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.serverMessage()).startsWith("GET /v1/tasks needs an API token");
            assertThat(tooSmall.status()).isEqualTo(403);
            assertThat(tooSmall.serverMessage()).isEqualTo("POST /v1/tasks needs a token of scope write or more; "
                    + "the token dashboard has scope read");
            assertThat(anonymous.health().status()).as("the probes need no token").isEqualTo("ok");
            assertThat(read.listTasks(TaskQuery.all()).items()).isNotNull();
            Task created = write.createTask(NewTask.builder("examples", "linear_workflow")
                    .context(Map.of("even_number", 8)).build());
            assertThat(created.state()).isNotNull();
        }
    }

    @Test
    void everyApiCommandWithoutATokenSaysToPassOne() {
        List<String> failures = new ArrayList<>();
        for (List<String> command : API_COMMANDS) {
            CommandRun run = run(Map.of("TASKER_URL", api.url()), command);
            // task watch says what it watches before its first request.
            boolean told = run.err().endsWith(NEEDS_TOKEN + System.lineSeparator());
            if (run.exitCode() != ErrorReporter.EXIT_ERROR || !told) {
                failures.add(String.join(" ", command) + " -> " + run.exitCode() + " " + run.err());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyApiCommandSendsTheTokenFromTheEnvironmentOrTheFlag() {
        List<String> failures = new ArrayList<>();
        for (List<String> command : API_COMMANDS) {
            List<String> withFlag = new ArrayList<>(command);
            withFlag.addAll(List.of("--token", ADMIN.token()));
            CommandRun fromEnv = run(Map.of("TASKER_URL", api.url(), "TASKER_TOKEN", ADMIN.token()), command);
            CommandRun fromFlag = run(Map.of("TASKER_URL", api.url(), "TASKER_TOKEN", "tasker_wrong"), withFlag);
            for (CommandRun run : List.of(fromEnv, fromFlag)) {
                // Unknown ids are 404s and settled tasks are watched to their end: anything but a refused token.
                if (run.err().contains("(HTTP 401)") || run.err().contains("(HTTP 403)")) {
                    failures.add(String.join(" ", command) + " -> " + run.err());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void anUnknownOrTooSmallTokenIsReportedWithWhatToDo() {
        Task failed;
        try (TaskerClient write = client(OPERATOR)) {
            failed = new ClientTasks(write).failedOrder("ORD-PROTECTED");
        }
        String id = failed.taskUuid().toString();
        Map<String, String> environment = Map.of("TASKER_URL", api.url(), "TASKER_TOKEN", READER.token());

        CommandRun unknown = CommandRun.run(environment, "task", "list", "--token", "tasker_not-a-token");
        CommandRun tooSmall = CommandRun.run(environment, "task", "cancel", id);
        CommandRun cancelled = CommandRun.run(environment, "task", "cancel", id, "--token", OPERATOR.token(),
                "--reason", "by the ops token");

        assertThat(unknown.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknown.err().strip()).isEqualTo("error: the API refused the token: the API token sent is not "
                + "one this server accepts: check that it was copied whole, or ask an operator for a new one; "
                + "check --token or TASKER_TOKEN (HTTP 401)");
        assertThat(tooSmall.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(tooSmall.err().strip()).isEqualTo("error: POST /v1/tasks/{uuid}/cancel needs a token of scope "
                + "write or more; the token dashboard has scope read (HTTP 403); use a token with that scope "
                + "(--token or TASKER_TOKEN)");
        assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
        try (TaskerClient read = client(READER)) {
            assertThat(read.transitions(UUID.fromString(id)))
                    .filteredOn(change -> change.isTask() && change.metadata() != null
                            && change.metadata().has("actor"))
                    .extracting(change -> change.toState() + " by " + change.metadata().get("actor").asText() + ": "
                            + change.metadata().get("reason").asText())
                    .containsExactly("cancelled by ops: by the ops token");
        }
    }
}
