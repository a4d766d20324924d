package io.tasker.server.cli;

import io.tasker.client.Task;
import io.tasker.client.TaskDocuments;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tasker task get}'s text for tasks as the API shows them, batches included. */
class TaskOutputTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void aBatchOfManyInstancesIsOneLineWithItsCountsByState() {
        Task task = batchTask(10_000, k -> k <= 9_990 ? "complete" : "in_progress");

        List<String> lines = TaskOutput.text(task, NOW);

        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).matches(" +analyze_csv +complete +attempts 1/3 +batchable +result \\{\"total_items\":10000}");
        assertThat(lines.get(2)).isEqualTo("  process_csv_batch \u00d7 10,000: 9,990 complete, 10 in_progress");
        assertThat(lines.get(3)).matches(" +aggregate_results +pending +attempts 0/3 +convergence, created by analyze_csv");
    }

    @Test
    void aSmallBatchListsEachInstance() {
        Task task = batchTask(TaskOutput.GROUPED_OVER, k -> k == 1 ? "error" : "complete");

        List<String> lines = TaskOutput.text(task, NOW);

        assertThat(lines).hasSize(2 + TaskOutput.GROUPED_OVER + 1);
        assertThat(lines.get(2)).matches(" +process_csv_batch_001 +error +attempts 1/3 +batch_worker, created by analyze_csv"
                + " +last error: row 17 is malformed");
        assertThat(lines).noneMatch(line -> line.contains("\u00d7"));
    }

    /** A task whose batchable step created {@code n} instances, instance k (from 1) in {@code stateOf(k)}. */
    private static Task batchTask(int n, IntFunction<String> stateOf) {
        List<String> steps = new ArrayList<>();
        steps.add(step("analyze_csv", "batchable", "complete", "[]", null, "\"results\": {\"total_items\": 10000}"));
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            String id = "%03d".formatted(k);
            String state = stateOf.apply(k);
            names.add("\"process_csv_batch_" + id + "\"");
            steps.add(step("process_csv_batch_" + id, "batch_worker", state, "[\"analyze_csv\"]", "analyze_csv",
                    ("\"batch\": {\"worker_template\": \"process_csv_batch\", \"batch_id\": \"%s\", \"no_op\": false, "
                            + "\"cursor\": {\"batch_id\": \"%s\", \"start_cursor\": %d, \"end_cursor\": %d, "
                            + "\"batch_size\": 100}}, %s").formatted(id, id, (k - 1) * 100, k * 100,
                            state.equals("error") ? "\"last_error\": {\"message\": \"row 17 is malformed\"}"
                                    : state.equals("complete") ? "\"results\": {\"rows\": 100}" : "\"results\": null")));
        }
        steps.add(step("aggregate_results", "deferred_convergence", "pending", names.toString(), "analyze_csv",
                "\"results\": null"));
        return TaskDocuments.task("""
                {"task_uuid": "01968d0c-0000-7000-8000-000000000001", "namespace": "csv", "name": "process_csv",
                 "version": "1.0.0", "state": "in_progress", "context": {}, "tags": [], "priority": 0,
                 "created_at": "2026-11-28T09:59:00Z", "updated_at": "2026-11-28T09:59:30Z", "steps": [%s]}"""
                .formatted(String.join(",\n", steps)));
    }

    private static String step(String name, String type, String state, String dependsOn, String createdBy,
                               String more) {
        int attempts = state.equals("pending") ? 0 : 1;
        return """
                {"step_uuid": "01968d0c-0000-7000-8000-%012d", "name": "%s", "handler": "Csv::%s", "type": "%s",
                 "state": "%s", "depends_on": %s, "created_by": %s, "attempts": %d, "max_attempts": 3,
                 "created_at": "2026-11-28T09:59:00Z", "updated_at": "2026-11-28T09:59:30Z", %s}"""
                .formatted(Math.abs(name.hashCode()), name, name, type, state, dependsOn,
                        createdBy == null ? "null" : "\"" + createdBy + "\"", attempts, more);
    }
}
