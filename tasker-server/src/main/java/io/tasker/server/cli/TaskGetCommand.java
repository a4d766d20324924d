package io.tasker.server.cli;

import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code tasker task get}: shows a task, its steps, their results and errors. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a task with its steps.")
final class TaskGetCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "UUID", description = "The task id, as task create or task list printed it.")
    UUID taskId;

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        TaskOutput.print(out(), client.getTask(taskId), output);
        return 0;
    }
}
