package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.UUID;

/** {@code tasker step complete}: completes a failed step with a result given by hand. */
@Command(name = "complete", mixinStandardHelpOptions = true,
        description = {"Complete a step in error with the result given, which the steps that depend on it see.",
                "Refused for a step in another state."})
final class StepCompleteCommand extends StepActionCommand {
    @Option(names = "--result", paramLabel = "JSON", required = true,
            description = "The step's result as JSON, e.g. '{\"value\": 42}'.")
    String result;

    StepCompleteCommand() {
        super("completed");
    }

    @Override
    Task act(TaskerClient client, UUID stepId) {
        return client.completeStep(taskId, stepId, JsonArgument.value(spec, "--result", result), reason);
    }
}
