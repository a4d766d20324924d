package io.tasker.server.cli;

import io.tasker.client.Step;
import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import io.tasker.core.TaskerException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Optional;
import java.util.UUID;

/**
 * An operator's action on a failed step: the step is named as {@code task get} shows it, or by
 * its uuid; the server records who acted and {@code --reason}, and answers the task as it is now,
 * which is printed.
 */
abstract class StepActionCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "TASK_UUID", description = "The task id.")
    UUID taskId;

    @Parameters(index = "1", paramLabel = "STEP", description = "The step's name, as task get shows it, or its uuid.")
    String step;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the task's history.")
    String reason;

    @Mixin
    OutputOptions output;

    private final String done;

    /** @param done what was done, e.g. {@code retried} */
    StepActionCommand(String done) {
        this.done = done;
    }

    /** Takes the action on the step; the task as the server answered it. */
    abstract Task act(TaskerClient client, UUID stepId);

    @Override
    final int run(TaskerClient client) {
        Task task = act(client, stepId(client));
        err().println(done + " step " + step + " of task " + taskId + "; the task is " + task.state());
        err().flush();
        TaskOutput.print(out(), task, output);
        return 0;
    }

    private UUID stepId(TaskerClient client) {
        Optional<UUID> id = UuidConverter.parse(step);
        if (id.isPresent()) {
            return id.get();
        }
        Task task = client.getTask(taskId);
        return task.step(step).map(Step::stepUuid).orElseThrow(() -> new TaskerException("task " + taskId
                + " has no step '" + step + "'; its steps are "
                + String.join(", ", task.steps().stream().map(Step::name).toList())));
    }
}
