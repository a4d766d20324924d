package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;

import java.util.UUID;

/** {@code tasker step resolve}: counts a failed step as done without a result. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = {"Resolve a step in error by hand: it counts as done, and the steps that depend on it run "
                + "without a result from it; the task completes when nothing else is left.",
                "Refused for a step in another state."})
final class StepResolveCommand extends StepActionCommand {
    StepResolveCommand() {
        super("resolved");
    }

    @Override
    Task act(TaskerClient client, UUID stepId) {
        return client.resolveStep(taskId, stepId, reason);
    }
}
