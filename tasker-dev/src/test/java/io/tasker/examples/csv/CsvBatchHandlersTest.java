package io.tasker.examples.csv;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.worker.handler.CursorConfig;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvBatchHandlersTest {

    @Test
    void theAnalyzerSplitsTheRowsIntoOneCursorRangePerBatch() {
        StepHandlerResult result = new AnalyzeCsv().call(StepContext.builder("analyze_csv")
                .taskContext(Map.of("rows", 1_000_000, "batch_size", 10_000)).build());

        StepHandlerResult.Batches batches = (StepHandlerResult.Batches) result;
        assertThat(batches.workerTemplate()).isEqualTo("process_csv_batch");
        assertThat(batches.totalItems()).isEqualTo(1_000_000);
        assertThat(batches.cursors()).hasSize(100)
                .startsWith(new CursorConfig("001", 0L, 10_000L, 10_000))
                .endsWith(new CursorConfig("100", 990_000L, 1_000_000L, 10_000));
        assertThat(batches.result()).isEqualTo(Json.parse("{\"rows\": 1000000, \"batch_size\": 10000}"));
    }

    @Test
    void theBatchSizeDefaultsToTheHandlersInitialization() {
        StepHandlerResult result = new AnalyzeCsv().call(StepContext.builder("analyze_csv")
                .taskContext(Map.of("rows", 25)).initialization(Map.of("batch_size", 10)).build());

        assertThat(((StepHandlerResult.Batches) result).cursors()).extracting(CursorConfig::batchSize)
                .containsExactly(9L, 9L, 7L);
    }

    @Test
    void noRowsMakeNoBatches() {
        StepHandlerResult result = new AnalyzeCsv().call(StepContext.builder("analyze_csv")
                .taskContext(Map.of("rows", 0)).initialization(Map.of("batch_size", 10)).build());

        StepHandlerResult.Batches batches = (StepHandlerResult.Batches) result;
        assertThat(batches.workerTemplate()).isNull();
        assertThat(batches.result().get("reason").asText()).isEqualTo("no_rows");
    }

    @Test
    void aRowCountThatIsNotAWholeNumberFailsNamingTheField() {
        assertThatThrownBy(() -> new AnalyzeCsv().call(StepContext.builder("analyze_csv")
                .taskContext(Map.of("rows", "many")).build()))
                .isInstanceOf(PermanentException.class)
                .hasMessage("context.rows must be a whole number of 0 or more, as in "
                        + "{\"rows\": 1000000, \"batch_size\": 10000}; got \"many\"");
    }

    @Test
    void aWorkerCountsOneCheckpointIntervalAndYieldsACheckpoint() {
        StepHandlerResult result = new ProcessCsvBatch().call(StepContext.builder("process_csv_batch_002")
                .batch("002", 1_000, 2_000).build());

        // tasker-core's default interval, 100 rows: 1,000..1,099.
        StepHandlerResult.CheckpointYield checkpoint = (StepHandlerResult.CheckpointYield) result;
        assertThat(checkpoint.cursor().asLong()).isEqualTo(1_100);
        assertThat(checkpoint.itemsProcessed()).isEqualTo(100);
        assertThat(checkpoint.accumulatedResults().get("processed_count").asLong()).isEqualTo(100);
        assertThat(checkpoint.accumulatedResults().get("amount_sum").asLong()).isEqualTo(amounts(1_000, 1_100));
    }

    @Test
    void aWorkerResumesFromItsCheckpointAndEndsWithTheTotalsOfItsWholeRange() {
        StepHandlerResult first = new ProcessCsvBatch().call(StepContext.builder("process_csv_batch_002")
                .batch("002", 1_000, 1_150).build());
        StepHandlerResult.CheckpointYield saved = (StepHandlerResult.CheckpointYield) first;

        StepHandlerResult last = new ProcessCsvBatch().call(StepContext.builder("process_csv_batch_002")
                .batch("002", 1_000, 1_150)
                .checkpoint(saved.cursor(), saved.itemsProcessed(), saved.accumulatedResults()).build());

        JsonNode totals = ((StepHandlerResult.Success) last).result();
        assertThat(totals.get("batch_id").asText()).isEqualTo("002");
        assertThat(totals.get("processed_count").asLong()).isEqualTo(150);
        assertThat(totals.get("amount_sum").asLong()).isEqualTo(amounts(1_000, 1_150));
        assertThat(totals.get("category_counts")).isEqualTo(Json.parse("""
                {"electronics": 30, "books": 30, "clothing": 30, "home": 30, "toys": 30}"""));
    }

    @Test
    void thePlaceholderWorkerOfNoBatchesCountsNothing() {
        StepHandlerResult result = new ProcessCsvBatch().call(StepContext.builder("process_csv_batch_001")
                .inputs(Map.of("cursor", Map.of("batch_id", "001", "start_cursor", 0, "end_cursor", 0, "batch_size", 0),
                        "batch_metadata", Map.of("checkpoint_interval", 100), "is_no_op", true))
                .build());

        assertThat(((StepHandlerResult.Success) result).result())
                .isEqualTo(Json.parse("{\"batch_id\": \"001\", \"no_op\": true, \"processed_count\": 0}"));
    }

    @Test
    void theConvergenceAddsUpEveryWorkerAndSkipsThePlaceholderAndOtherSteps() {
        StepHandlerResult result = new AggregateCsvResults().call(StepContext.builder("aggregate_csv_results")
                .dependencyResult("analyze_csv", Map.of("rows", 7, "processed_count", 99))
                .dependencyResult("process_csv_batch_001", Map.of("processed_count", 4, "amount_sum", 10,
                        "category_counts", Map.of("books", 4)))
                .dependencyResult("process_csv_batch_002", Map.of("processed_count", 3, "amount_sum", 5,
                        "category_counts", Map.of("books", 1, "toys", 2)))
                .build());

        assertThat(((StepHandlerResult.Success) result).result()).isEqualTo(Json.parse("""
                {"processed_count": 7, "amount_sum": 15, "category_counts": {"books": 5, "toys": 2},
                 "worker_count": 2}"""));
    }

    private static long amounts(long from, long to) {
        long sum = 0;
        for (long row = from; row < to; row++) {
            sum += row * 7919 % 1000;
        }
        return sum;
    }
}
