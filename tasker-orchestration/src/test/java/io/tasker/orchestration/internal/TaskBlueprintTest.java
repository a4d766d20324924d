package io.tasker.orchestration.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a template with a batch is laid out for task creation and kept as the task's plan. */
class TaskBlueprintTest {
    private static final String CSV = """
            namespace: batches
            name: csv
            version: 1.0.0
            steps:
              - name: analyze_csv
                type: batchable
                handler: {callable: Analyze}
                batch_config: {cursor_field: row_number, checkpoint_interval: 10}
              - name: process_csv_batch
                type: batch_worker
                handler: {callable: Process}
                depends_on: [analyze_csv]
              - name: aggregate
                type: deferred_convergence
                handler: {callable: Aggregate}
                depends_on: [process_csv_batch]
            """;

    @Test
    void aTemplateWithABatchKeepsAPlanWhoseWorkerCarriesTheBatchMetadata() {
        TaskBlueprint blueprint = TaskBlueprint.of(TemplateLoader.parse(CSV, "csv.yaml", "development").orThrow());
        assertThat(blueprint.plan()).isTrue();
        JsonNode layout = Json.parse(blueprint.layout());

        JsonNode analyze = layout.get(0);
        assertThat(analyze.get("type").asText()).isEqualTo("batchable");
        assertThat(analyze.has("later")).isFalse();
        assertThat(analyze.get("later_children").asBoolean()).isTrue();

        JsonNode worker = layout.get(1);
        assertThat(worker.get("type").asText()).isEqualTo("batch_worker");
        assertThat(worker.get("later").asBoolean()).isTrue();
        assertThat(worker.get("later_children").asBoolean()).isTrue();
        assertThat(worker.get("batch_metadata")).as("from the batchable step's batch_config, the worker having none")
                .isEqualTo(Json.parse("""
                        {"checkpoint_interval": 10, "cursor_field": "row_number", "failure_strategy": "fail_fast"}"""));

        JsonNode aggregate = layout.get(2);
        assertThat(aggregate.get("later").asBoolean()).isTrue();
        assertThat(aggregate.has("batch_metadata")).isFalse();
        assertThat(blueprint.roots()).isEqualTo(1);
    }
}
