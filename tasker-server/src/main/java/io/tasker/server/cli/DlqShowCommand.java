package io.tasker.server.cli;

import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code tasker dlq show}: one dead letter. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a dead letter: its task, the reason, the task's last error and how it was resolved.")
final class DlqShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The entry's id, as dlq list shows it.")
    UUID id;

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        DeadLetterOutput.print(out(), client.getDeadLetter(id), output);
        return 0;
    }
}
