package io.tasker.server.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code tasker task get}: shows a task, its steps, their results and errors. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show a task with its steps.")
final class TaskGetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ApiUrlOptions api;

    @Parameters(index = "0", paramLabel = "UUID", description = "The task id, as task create printed it.")
    String taskId;

    @Option(names = "--json", description = "Print the task as the API's JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        TaskOutput.print(spec.commandLine().getOut(), api.client(spec).getTask(taskId), json);
        return 0;
    }
}
