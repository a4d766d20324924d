package io.tasker.server.cli;

import io.tasker.client.StepQuery;
import io.tasker.client.StepSummary;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code tasker step list}: steps across tasks, e.g. every failed one of a namespace. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List steps across tasks, most recently changed first, e.g. every step in error: "
                + "tasker step list --state error.", "Every filter given must hold."})
final class StepListCommand extends ListCommand<StepSummary, StepQuery> {
    @Option(names = "--namespace", paramLabel = "NS", description = "Only steps of tasks in this namespace.")
    String namespace;

    @Option(names = "--task-name", paramLabel = "NAME", description = "Only steps of tasks of this template name.")
    String taskName;

    @Option(names = "--name", paramLabel = "STEP", description = "Only steps of this name.")
    String name;

    @Option(names = "--state", paramLabel = "STATE", split = ",",
            description = "Only steps in this state, e.g. error or waiting_for_retry; several separated by commas.")
    List<String> states = List.of();

    StepListCommand() {
        super("steps", TaskerClient::listSteps, StepSummary::json);
    }

    @Override
    StepQuery query() {
        return StepQuery.all().namespace(namespace).taskName(taskName).name(name).states(states.toArray(String[]::new));
    }

    @Override
    Table table(List<StepSummary> steps) {
        Table table = Table.withHeader("TASK", "TEMPLATE", "STEP", "STATE", "ATTEMPTS", "UPDATED", "LAST ERROR");
        for (StepSummary step : steps) {
            table.row(step.taskUuid(), step.namespace() + "/" + step.taskName(), step.name(), step.state(),
                    step.attempts() + "/" + step.maxAttempts(), TimeText.dateTime(step.updatedAt()),
                    Table.shorten(step.lastErrorMessage(), 80));
        }
        return table;
    }
}
