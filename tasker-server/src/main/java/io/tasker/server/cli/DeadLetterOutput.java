package io.tasker.server.cli;

import io.tasker.client.DeadLetter;

import java.io.PrintWriter;

/** How {@code dlq show} and {@code dlq resolve} print an entry: a field a line, or the API's JSON. */
final class DeadLetterOutput {
    private DeadLetterOutput() {}

    static void print(PrintWriter out, DeadLetter entry, OutputOptions output) {
        if (output.isJson()) {
            JsonOutput.print(out, entry.json());
            return;
        }
        Table table = Table.withoutHeader()
                .row("dead letter", entry.id())
                .row("task", entry.taskUuid() + "  " + entry.namespace() + "/" + entry.name() + "  " + entry.taskState())
                .row("reason", entry.reason())
                .row("since", TimeText.dateTime(entry.createdAt()));
        if (entry.lastError() != null) {
            table.row("last error", entry.lastError().stepName() + ": " + entry.lastError().message());
        }
        table.row("resolved", entry.isResolved() ? TimeText.dateTime(entry.resolvedAt()) + " by " + entry.resolvedBy()
                + ": " + entry.resolution() : "no");
        table.print(out);
    }
}
