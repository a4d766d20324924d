package io.tasker.server.cli;

import io.tasker.client.DeadLetterStats;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tasker dlq stats}: how many dead letters are open and resolved. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Count the dead letters: open, resolved, and the open ones by the state of their task.")
final class DlqStatsCommand extends ApiCommand {
    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        if (output.isJson()) {
            JsonOutput.print(out(), client.deadLetterStats().json());
            return 0;
        }
        DeadLetterStats stats = client.deadLetterStats();
        Table table = Table.withoutHeader().row("open", stats.open()).row("resolved", stats.resolved());
        stats.openByTaskState().forEach((state, count) -> table.row("  task " + state, count));
        table.print(out());
        return 0;
    }
}
