package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.EagerClaim;
import io.tasker.orchestration.FinishedStep;
import io.tasker.orchestration.ResultRecorder;
import io.tasker.orchestration.StepOutcome;
import io.tasker.server.Http;
import io.tasker.server.RunningApi;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task with a batch, read over real HTTP: its worker instances in their batch worker's place,
 * each with its type and batch, and a checkpoint where one was saved. The steps are driven by hand
 * (claimed and recorded as a worker would), so the answer's fields are exactly known.
 */
class BatchApiTest {
    private static final String NS = "batch_api";
    private static final String WORKER = "batch-api-test";
    private static final Duration LEASE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RunningApi API = new RunningApi();
    private static Http http;
    private static Tasks tasks;
    private static RunningTasker tasker;

    @BeforeAll
    static void registerTemplate() {
        tasker = API.tasker();
        http = new Http(API.url());
        tasks = new Tasks(http);
        new TemplateRegistry(tasker.database().dataSource()).register(TemplateLoader.parse("""
                namespace: batch_api
                name: csv
                version: 1.0.0
                steps:
                  - name: analyze_csv
                    type: batchable
                    handler: {callable: BatchApi::Analyze}
                  - name: process_csv_batch
                    type: batch_worker
                    handler: {callable: BatchApi::Process}
                    depends_on: [analyze_csv]
                    batch_config: {cursor_field: row_number}
                  - name: aggregate
                    type: deferred_convergence
                    handler: {callable: BatchApi::Aggregate}
                    depends_on: [process_csv_batch]
                """, "test").orThrow(), "test");
    }

    @Test
    void aTaskWithABatchShowsEachWorkerWithItsBatchAndItsCheckpoint() {
        DataSource dataSource = tasker.database().dataSource();
        ResultRecorder recorder = new ResultRecorder(dataSource);
        String id = tasks.create(NS, "csv", "{}");
        ClaimedStep analyze = StepQueue.claim(dataSource, WORKER, List.of(NS), 1, LEASE).getFirst();
        recorder.record(WORKER, FinishedStep.of(analyze, new StepOutcome.Success(batches(), null)));
        ClaimedStep first = StepQueue.claim(dataSource, WORKER, List.of(NS), 1, LEASE).getFirst();
        recorder.cycle(WORKER, List.of(FinishedStep.of(first, new StepOutcome.Checkpoint(Json.parse("150"), 150,
                null))), EagerClaim.none(WORKER));

        Http.Response read = http.get("/v1/tasks/" + id);
        assertThat(read.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        read.json().get("steps").forEach(step -> names.add(step.get("name").asText()));
        assertThat(names).containsExactly("analyze_csv", "process_csv_batch_001", "process_csv_batch_002",
                "aggregate");

        JsonNode analyzed = Tasks.step(read.json(), "analyze_csv");
        assertThat(analyzed.get("type").asText()).isEqualTo("batchable");
        assertThat(analyzed.has("batch")).isFalse();
        assertThat(analyzed.has("checkpoint")).isFalse();
        assertThat(analyzed.get("results").get("batch_processing_outcome").has("cursor_configs")).isFalse();

        JsonNode worker = Tasks.step(read.json(), "process_csv_batch_001");
        assertThat(worker.get("type").asText()).isEqualTo("batch_worker");
        assertThat(worker.get("created_by").asText()).isEqualTo("analyze_csv");
        assertThat(worker.get("batch")).isEqualTo(Json.parse("""
                {"worker_template": "process_csv_batch", "batch_id": "001", "no_op": false,
                 "cursor": {"batch_id": "001", "start_cursor": 0, "end_cursor": 250, "batch_size": 250}}"""));
        assertThat(worker.get("checkpoint").get("cursor").asInt()).isEqualTo(150);
        assertThat(worker.get("checkpoint").get("items_processed").asInt()).isEqualTo(150);
        assertThat(worker.get("checkpoint").get("history")).hasSize(1);
        assertThat(worker.get("state").asText()).isEqualTo("enqueued");

        JsonNode second = Tasks.step(read.json(), "process_csv_batch_002");
        assertThat(second.get("batch").get("cursor").get("start_cursor").asInt()).isEqualTo(250);
        assertThat(second.has("checkpoint")).isFalse();
        JsonNode aggregate = Tasks.step(read.json(), "aggregate");
        assertThat(aggregate.get("type").asText()).isEqualTo("deferred_convergence");
        assertThat(aggregate.get("depends_on")).isEqualTo(Json.parse(
                "[\"process_csv_batch_001\", \"process_csv_batch_002\"]"));
        assertThat(aggregate.has("batch")).isFalse();
    }

    /** Two batches of 250 rows, as a batchable handler returns them. */
    private static ObjectNode batches() {
        ObjectNode result = Json.MAPPER.createObjectNode().put("rows", 500);
        ObjectNode outcome = result.putObject("batch_processing_outcome").put("type", "create_batches")
                .put("worker_template_name", "process_csv_batch").put("worker_count", 2).put("total_items", 500);
        ArrayNode cursors = outcome.putArray("cursor_configs");
        cursors.addObject().put("batch_id", "001").put("start_cursor", 0).put("end_cursor", 250).put("batch_size", 250);
        cursors.addObject().put("batch_id", "002").put("start_cursor", 250).put("end_cursor", 500)
                .put("batch_size", 250);
        return result;
    }
}
