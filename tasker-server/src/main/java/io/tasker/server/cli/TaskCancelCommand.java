package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code tasker task cancel}: stops a task; its unfinished steps are cancelled, one in flight is told to stop. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a task: every step not finished becomes cancelled, and a step running is told to stop.",
                "Refused for a task that is complete, cancelled or resolved already."})
final class TaskCancelCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "UUID", description = "The task id.")
    UUID taskId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the task's history.")
    String reason;

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        Task task = client.cancelTask(taskId, reason);
        err().println("cancelled task " + task.taskUuid());
        err().flush();
        TaskOutput.print(out(), task, output);
        return 0;
    }
}
