package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.server.client.TaskerClient;
import io.tasker.server.client.TaskerClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code tasker task create}: starts a task from a template, and with {@code --wait} follows it to the end. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a task from a registered template.",
                "With --wait, follow it until it is complete, error or cancelled, reporting step changes on stderr; "
                        + "the exit status is then 0 only when the task completed."})
final class TaskCreateCommand implements Callable<Integer> {
    private static final Pattern TEMPLATE = Pattern.compile("([^/@\\s]+)/([^/@\\s]+)(?:@(\\S+))?");

    @Spec
    CommandSpec spec;

    @Mixin
    ApiUrlOptions api;

    @Parameters(index = "0", paramLabel = "NAMESPACE/NAME[@VERSION]",
            description = "The template, e.g. examples/linear_workflow; the newest version unless @VERSION is given.")
    String template;

    @Option(names = "--context", paramLabel = "JSON", defaultValue = "{}",
            description = "The task context as a JSON object (default: {}).")
    String context;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "The task's identity for templates with identity_strategy caller_key. Whenever the "
                    + "template says a task like this exists, it is shown (and waited for) instead of a second one.")
    String idempotencyKey;

    @Option(names = "--wait", description = "Wait until the task finishes, then print it.")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long --wait waits, e.g. 30s, 5m (default: 5m).")
    Duration timeout;

    @Option(names = "--json", description = "Print the task as the API's JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        ObjectNode request = request();
        TaskerClient client = api.client(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonNode task = createOrFindExisting(client, request, err);
        if (!await) {
            TaskOutput.print(out, task, json);
            return 0;
        }
        err.println("waiting for task " + task.path("task_uuid").asText() + " to finish");
        err.flush();
        task = new TaskWaiter(client, err).waitFor(task, timeout);
        TaskOutput.print(out, task, json);
        if (!TaskWaiter.finished(task)) {
            err.println("error: task " + task.path("task_uuid").asText() + " is still " + task.path("state").asText()
                    + " after " + timeout.toString().substring(2).toLowerCase(Locale.ROOT) + "; follow it with: tasker task get "
                    + task.path("task_uuid").asText());
            err.flush();
            return ErrorReporter.EXIT_ERROR;
        }
        return task.path("state").asText().equals("complete") ? 0 : ErrorReporter.EXIT_ERROR;
    }

    /**
     * A repeated command (same idempotency key) finds the task its first run created, so a script
     * that retries after a lost connection follows one task instead of failing.
     */
    private static JsonNode createOrFindExisting(TaskerClient client, ObjectNode request, PrintWriter err) {
        try {
            JsonNode task = client.createTask(request);
            err.println("created task " + task.path("task_uuid").asText());
            return task;
        } catch (TaskerClientException e) {
            JsonNode existing = e.body() == null ? null : e.body().get("existing_task_uuid");
            if (e.status() != 409 || existing == null) {
                throw e;
            }
            err.println("task " + existing.asText() + " already exists for this request; showing it");
            return client.getTask(existing.asText());
        } finally {
            err.flush();
        }
    }

    private ObjectNode request() {
        Matcher matcher = TEMPLATE.matcher(template);
        if (!matcher.matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the template must be given as "
                    + "NAMESPACE/NAME or NAMESPACE/NAME@VERSION, e.g. examples/linear_workflow, got '" + template + "'");
        }
        JsonNode contextJson;
        try {
            contextJson = Json.parse(context);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--context is " + e.getMessage());
        }
        if (contextJson == null || !contextJson.isObject()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--context must be a JSON object, e.g. '{\"even_number\": 6}', got " + context);
        }
        ObjectNode request = Json.MAPPER.createObjectNode()
                .put("namespace", matcher.group(1))
                .put("name", matcher.group(2));
        if (matcher.group(3) != null) {
            request.put("version", matcher.group(3));
        }
        request.set("context", contextJson);
        if (idempotencyKey != null) {
            request.put("idempotency_key", idempotencyKey);
        }
        return request;
    }
}
