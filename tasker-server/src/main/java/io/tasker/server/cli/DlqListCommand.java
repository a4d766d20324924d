package io.tasker.server.cli;

import io.tasker.client.DeadLetter;
import io.tasker.client.DeadLetterQuery;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code tasker dlq list}: the tasks that stopped moving. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the dead letters, newest first: tasks the stale-task sweeper found no longer moving, "
                + "with the reason and the task's last error.")
final class DlqListCommand extends ListCommand<DeadLetter, DeadLetterQuery> {
    enum Show { OPEN, RESOLVED, ALL }

    @Option(names = "--show", paramLabel = "WHICH", defaultValue = "OPEN",
            description = "open (default): not resolved yet; resolved; or all.")
    Show show;

    DlqListCommand() {
        super("entries", TaskerClient::listDeadLetters, DeadLetter::json);
    }

    @Override
    DeadLetterQuery query() {
        return switch (show) {
            case OPEN -> DeadLetterQuery.open();
            case RESOLVED -> DeadLetterQuery.resolved();
            case ALL -> DeadLetterQuery.all();
        };
    }

    @Override
    String noun() {
        return show == Show.ALL ? "dead letters" : show.name().toLowerCase(Locale.ROOT) + " dead letters";
    }

    @Override
    Table table(List<DeadLetter> entries) {
        Table table = Table.withHeader("ID", "TASK", "TEMPLATE", "TASK STATE", "REASON", "SINCE", "RESOLVED",
                "LAST ERROR");
        for (DeadLetter entry : entries) {
            table.row(entry.id(), entry.taskUuid(), entry.namespace() + "/" + entry.name(), entry.taskState(),
                    Table.shorten(entry.reason(), 40), TimeText.dateTime(entry.createdAt()),
                    entry.isResolved() ? "by " + entry.resolvedBy() : "no",
                    entry.lastError() == null ? null
                            : Table.shorten(entry.lastError().stepName() + ": " + entry.lastError().message(), 60));
        }
        return table;
    }
}
