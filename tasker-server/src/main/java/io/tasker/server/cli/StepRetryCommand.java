package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;

import java.util.UUID;

/** {@code tasker step retry}: runs a failed step again. */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = {"Run a step in error again, with as many attempts again as its template gives it; its task "
                + "leaves error and goes on.",
                "Refused for a step in another state."})
final class StepRetryCommand extends StepActionCommand {
    StepRetryCommand() {
        super("retried");
    }

    @Override
    Task act(TaskerClient client, UUID stepId) {
        return client.retryStep(taskId, stepId, reason);
    }
}
