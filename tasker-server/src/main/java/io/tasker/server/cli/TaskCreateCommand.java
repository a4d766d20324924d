package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.NewTask;
import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import io.tasker.client.TaskerClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** {@code tasker task create}: starts a task from a template, and with {@code --wait} follows it to the end. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a task from a registered template.",
                "With --wait, follow it as task watch does until it is complete, error or cancelled; "
                        + "the exit status is then 0 only when the task completed."})
final class TaskCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = TemplateRef.LABEL,
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

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) throws InterruptedException {
        NewTask request = request();
        Task task = createOrFindExisting(client, request, err());
        if (!await) {
            TaskOutput.print(out(), task, output);
            return 0;
        }
        return TaskWatchCommand.watch(client, task.taskUuid(), timeout, out(), err(), output);
    }

    /**
     * A repeated command (same idempotency key) finds the task its first run created, so a script
     * that retries after a lost connection follows one task instead of failing.
     */
    private static Task createOrFindExisting(TaskerClient client, NewTask request, PrintWriter err) {
        try {
            Task task = client.createTask(request);
            err.println("created task " + task.taskUuid());
            task.warnings().forEach(warning -> err.println("warning: " + warning));
            return task;
        } catch (TaskerClientException e) {
            Optional<UUID> existing = e.status() == 409 ? e.existingTaskUuid() : Optional.empty();
            if (existing.isEmpty()) {
                throw e;
            }
            err.println("task " + existing.get() + " already exists for this request; showing it");
            return client.getTask(existing.get());
        } finally {
            err.flush();
        }
    }

    private NewTask request() {
        TemplateRef ref = TemplateRef.parse(template, spec);
        JsonNode contextJson = JsonArgument.object(spec, "--context", context, "'{\"even_number\": 6}'");
        return NewTask.builder(ref.namespace(), ref.name())
                .version(ref.version())
                .context(contextJson)
                .idempotencyKey(idempotencyKey)
                .build();
    }
}
