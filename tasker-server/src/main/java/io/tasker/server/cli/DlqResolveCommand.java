package io.tasker.server.cli;

import io.tasker.client.DeadLetter;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code tasker dlq resolve}: closes a dead letter, saying what was done about it. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = {"Mark a dead letter resolved, with what was done about it (cancel the task, retry a step, "
                + "or nothing needed), recorded with who did it.", "Refused for an entry resolved already."})
final class DlqResolveCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The entry's id, as dlq list shows it.")
    UUID id;

    @Option(names = {"--reason", "--resolution"}, paramLabel = "TEXT", required = true,
            description = "What was done about it, e.g. 'cancelled the task: the order was withdrawn'.")
    String resolution;

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        DeadLetter entry = client.resolveDeadLetter(id, resolution);
        err().println("resolved dead letter " + entry.id());
        err().flush();
        DeadLetterOutput.print(out(), entry, output);
        return 0;
    }
}
