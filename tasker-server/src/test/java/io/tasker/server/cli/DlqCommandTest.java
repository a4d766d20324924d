package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.DeadLetter;
import io.tasker.client.DeadLetterQuery;
import io.tasker.client.Task;
import io.tasker.core.internal.Json;
import io.tasker.server.RunningApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tasker dlq ...}: the dead letters through the CLI, against a running Tasker over HTTP. */
class DlqCommandTest {
    @RegisterExtension
    static final RunningApi api = new RunningApi();

    @Test
    void aDeadLetterIsListedShownCountedAndResolvedOnce() {
        Task stuck = api.tasks().deadLettered(api.tasker(), "cli_dlq");
        DeadLetter entry = api.client().streamDeadLetters(DeadLetterQuery.open())
                .filter(e -> e.taskUuid().equals(stuck.taskUuid())).findFirst().orElseThrow();
        String id = entry.id().toString();

        CommandRun list = CommandRun.run(api.environment(), "dlq", "list");
        CommandRun show = CommandRun.run(api.environment(), "dlq", "show", id);
        CommandRun stats = CommandRun.run(api.environment(), "dlq", "stats");
        CommandRun resolve = CommandRun.run(api.environment(), "dlq", "resolve", id, "--reason", "cancelled it by hand");
        CommandRun again = CommandRun.run(api.environment(), "dlq", "resolve", id, "--reason", "again");
        CommandRun openAfter = CommandRun.run(api.environment(), "dlq", "list");
        CommandRun resolvedAfter = CommandRun.run(api.environment(), "dlq", "list", "--show", "resolved", "--json");

        assertThat(list.exitCode()).as(list.err()).isZero();
        AlignedTable table = AlignedTable.parse(list.out());
        assertThat(table.columns()).containsExactly("ID", "TASK", "TEMPLATE", "TASK STATE", "REASON", "SINCE",
                "RESOLVED", "LAST ERROR");
        assertThat(table.column("ID")).contains(id);
        int row = table.column("ID").indexOf(id);
        assertThat(table.column("TASK").get(row)).isEqualTo(stuck.taskUuid().toString());
        assertThat(table.column("TEMPLATE").get(row)).isEqualTo("cli_dlq/stuck");
        assertThat(table.column("TASK STATE").get(row)).isEqualTo("in_progress");
        assertThat(table.column("REASON").get(row)).startsWith("no progress for");
        assertThat(table.column("RESOLVED").get(row)).isEqualTo("no");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).containsPattern("(?m)^dead letter +" + id + "$")
                .containsPattern("(?m)^task +" + stuck.taskUuid() + "  cli_dlq/stuck  in_progress$")
                .containsPattern("(?m)^reason +no progress for ")
                .containsPattern("(?m)^resolved +no$");
        assertThat(stats.out()).containsPattern("(?m)^open +[1-9]\\d*$").containsPattern("(?m)^resolved +0$")
                .containsPattern("(?m)^  task in_progress +[1-9]\\d*$");
        assertThat(resolve.exitCode()).as(resolve.err()).isZero();
        assertThat(resolve.err()).isEqualTo("resolved dead letter " + id + System.lineSeparator());
        assertThat(resolve.out()).containsPattern("(?m)^resolved +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d by "
                + "anonymous: cancelled it by hand$");
        assertThat(again.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(again.err()).startsWith("error: dead letter " + id + " was resolved already, by anonymous at ")
                .endsWith("(HTTP 409)" + System.lineSeparator());
        assertThat(openAfter.out()).doesNotContain(id);
        JsonNode resolved = Json.parse(resolvedAfter.out());
        assertThat(resolved.get("entries")).anySatisfy(e -> {
            assertThat(e.get("id").asText()).isEqualTo(id);
            assertThat(e.get("resolution").asText()).isEqualTo("cancelled it by hand");
        });
        assertThat(CommandRun.run(api.environment(), "dlq", "stats", "--output", "json").out())
                .contains("\"resolved\" : 1");
    }

    @Test
    void anUnknownEntryIsA404AndAResolutionIsRequired() {
        CommandRun unknown = CommandRun.run(api.environment(), "dlq", "show", "01a22171-8e7a-7baf-b441-ba2bed6a0aec");
        CommandRun noReason = CommandRun.run(api.environment(), "dlq", "resolve", "01a22171-8e7a-7baf-b441-ba2bed6a0aec");

        assertThat(unknown.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknown.err()).startsWith("error: no dead letter 01a22171-8e7a-7baf-b441-ba2bed6a0aec")
                .contains("(HTTP 404)");
        assertThat(noReason.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(noReason.err()).startsWith("error: Missing required option: '--resolution=TEXT'");
    }
}
