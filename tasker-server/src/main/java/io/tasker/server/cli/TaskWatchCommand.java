package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/** {@code tasker task watch}: follows a task's steps live until the task settles. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a task until it is complete, error or cancelled: every change of its steps on "
                + "stderr as it happens, with the attempt, its time, why it failed and when a waiting step is "
                + "retried; then the task on stdout.",
                "The exit status is 0 only when the task completed."})
final class TaskWatchCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "UUID", description = "The task id.")
    UUID taskId;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop watching after this long, e.g. 10m, with exit status 1 (default: no limit).")
    Duration timeout;

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) throws InterruptedException {
        return watch(client, taskId, timeout, out(), err(), output);
    }

    /** Follows the task, prints it, and says whether it completed: the exit status. */
    static int watch(TaskerClient client, UUID taskId, Duration timeout, PrintWriter out, PrintWriter err,
                     OutputOptions output) throws InterruptedException {
        err.println("watching task " + taskId + " until it is complete, error or cancelled");
        err.flush();
        Task task = new TaskWatcher(client, err).follow(taskId, timeout);
        TaskOutput.print(out, task, output);
        if (!task.isSettled()) {
            err.println("error: task " + taskId + " is still " + task.state() + " after "
                    + timeout.toString().substring(2).toLowerCase(Locale.ROOT) + "; follow it with: tasker task watch "
                    + taskId);
            err.flush();
            return ErrorReporter.EXIT_ERROR;
        }
        return task.state().equals("complete") ? 0 : ErrorReporter.EXIT_ERROR;
    }
}
