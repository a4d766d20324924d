package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskQuery;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code tasker task list}: the newest tasks, filtered as {@code GET /v1/tasks} filters them. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List tasks, newest first, with their state, steps complete, duration and last error.",
                "Every filter given must hold."})
final class TaskListCommand extends ListCommand<Task, TaskQuery> {
    @Option(names = "--namespace", paramLabel = "NS", description = "Only tasks of this namespace.")
    String namespace;

    @Option(names = "--name", paramLabel = "NAME", description = "Only tasks of this template name.")
    String name;

    @Option(names = "--state", paramLabel = "STATE", split = ",",
            description = "Only tasks in this state: pending, in_progress, complete, error, cancelled, "
                    + "resolved_manually; several separated by commas or given again.")
    List<String> states = List.of();

    @Option(names = "--initiator", paramLabel = "WHO", description = "Only tasks created by this initiator.")
    String initiator;

    @Option(names = "--correlation-id", paramLabel = "UUID", description = "Only tasks with this correlation id.")
    UUID correlationId;

    @Option(names = "--created-from", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Only tasks created at or after this time, e.g. 2025-05-01T12:00:00Z or 2025-05-01 "
                    + "(local midnight).")
    Instant createdFrom;

    @Option(names = "--created-to", paramLabel = "TIME", converter = InstantConverter.class,
            description = "Only tasks created before this time.")
    Instant createdTo;

    @Option(names = "--id-prefix", paramLabel = "HEX",
            description = "Only tasks whose id starts with this (at least 4 hex digits).")
    String idPrefix;

    TaskListCommand() {
        super("tasks", TaskerClient::listTasks, Task::json);
    }

    @Override
    TaskQuery query() {
        return TaskQuery.all().namespace(namespace).name(name).states(states.toArray(String[]::new))
                .initiator(initiator).correlationId(correlationId).createdFrom(createdFrom).createdTo(createdTo)
                .idPrefix(idPrefix);
    }

    @Override
    Table table(List<Task> tasks) {
        Table table = Table.withHeader("TASK", "TEMPLATE", "STATE", "STEPS", "CREATED", "DURATION", "LAST ERROR");
        for (Task task : tasks) {
            table.row(task.taskUuid(), task.templateKey(), task.state(), steps(task.stepCounts()),
                    TimeText.dateTime(task.createdAt()), TimeText.duration(task.durationMs()),
                    task.lastError() == null ? null
                            : Table.shorten(task.lastError().stepName() + ": " + task.lastError().message(), 80));
        }
        return table;
    }

    /** {@code 3/4 complete}, from the counts by state. */
    private static String steps(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return null;
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return counts.getOrDefault("complete", 0L) + "/" + total;
    }
}
