package io.tasker.worker.handler;

import io.tasker.core.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batch outcomes and checkpoints a Java handler returns, and what a batch worker's context says. */
class BatchResultsTest {

    @Test
    void rangesSplitTheItemsAsTaskerCoreDoesZeroBasedEndExclusive() {
        assertThat(CursorConfig.ranges(1000, 3)).containsExactly(
                new CursorConfig("001", 0L, 334L, 334), new CursorConfig("002", 334L, 668L, 334),
                new CursorConfig("003", 668L, 1000L, 332));
        assertThat(CursorConfig.ranges(10, 1)).containsExactly(new CursorConfig("001", 0L, 10L, 10));
        // Fewer items than workers: the last ranges are empty, never past the end.
        assertThat(CursorConfig.ranges(5, 4)).containsExactly(
                new CursorConfig("001", 0L, 2L, 2), new CursorConfig("002", 2L, 4L, 2),
                new CursorConfig("003", 4L, 5L, 1), new CursorConfig("004", 5L, 5L, 0));
        assertThat(CursorConfig.ranges(0, 2)).extracting(CursorConfig::batchSize).containsExactly(0L, 0L);
    }

    @Test
    void idsGrowWiderPast999WorkersSoTheyStillSort() {
        List<CursorConfig> ranges = CursorConfig.ranges(5000, 1000);
        assertThat(ranges).hasSize(1000);
        assertThat(ranges.getFirst().batchId()).isEqualTo("0001");
        assertThat(ranges.getLast().batchId()).isEqualTo("1000");
        assertThat(ranges.getLast().endCursor()).isEqualTo(5000L);
        assertThat(CursorConfig.ranges(100, 999).getLast().batchId()).isEqualTo("999");
    }

    @Test
    void badSplitsAndConfigsSayWhatToFix() {
        assertThatThrownBy(() -> CursorConfig.ranges(10, 0)).hasMessage("workers must be 1 or more, got 0");
        assertThatThrownBy(() -> CursorConfig.ranges(-1, 2)).hasMessage("totalItems must be 0 or more, got -1");
        assertThatThrownBy(() -> new CursorConfig(" ", 0, 1, 1))
                .hasMessage("a cursor config needs a batch id, which names its worker step");
    }

    @Test
    void batchesAreStoredWithTaskerCoresOutcomeBesideTheHandlersFields() {
        StepHandlerResult.Batches batches = StepHandlerResult.batches("process_batch", CursorConfig.ranges(1000, 2),
                1000, Map.of("source", "orders.csv"));
        assertThat(batches.storedResult().toString()).isEqualTo(Json.parse("""
                {"source": "orders.csv",
                 "batch_processing_outcome": {"type": "create_batches", "worker_template_name": "process_batch",
                   "worker_count": 2,
                   "cursor_configs": [{"batch_id": "001", "start_cursor": 0, "end_cursor": 500, "batch_size": 500},
                                      {"batch_id": "002", "start_cursor": 500, "end_cursor": 1000, "batch_size": 500}],
                   "total_items": 1000}}""").toString());
        // Cursors may be any JSON: keys, timestamps.
        StepHandlerResult.Batches byKey = StepHandlerResult.batches("process_batch",
                List.of(new CursorConfig("a-m", "a", "n", 0)), 0, null);
        assertThat(byKey.storedResult().path("batch_processing_outcome").path("cursor_configs").toString())
                .isEqualTo("[{\"batch_id\":\"a-m\",\"start_cursor\":\"a\",\"end_cursor\":\"n\",\"batch_size\":0}]");
    }

    @Test
    void noBatchesIsStoredAsTaskerCoreStoresIt() {
        assertThat(StepHandlerResult.noBatches(Map.of("reason", "empty")).storedResult())
                .isEqualTo(Json.parse("{\"reason\": \"empty\", \"batch_processing_outcome\": {\"type\": \"no_batches\"}}"));
        assertThat(StepHandlerResult.noBatches(null).storedResult().toString())
                .isEqualTo("{\"batch_processing_outcome\":{\"type\":\"no_batches\"}}");
    }

    @Test
    void aBatchOutcomeThatCannotBeRightIsRefusedWithWhatToDoInstead() {
        assertThatThrownBy(() -> StepHandlerResult.batches("process_batch", List.of(), 0, null))
                .isInstanceOf(PermanentException.class)
                .hasMessage("batches name the batch_worker step to create and give at least one cursor range; got "
                        + "'process_batch' and 0 (return noBatches() for none)");
        assertThatThrownBy(() -> StepHandlerResult.batches("process_batch", CursorConfig.ranges(10, 1), 10, 42))
                .hasMessage("a batch outcome's result must be a JSON object (a Map or a record), to hold "
                        + "batch_processing_outcome beside its fields; got NUMBER");
        assertThatThrownBy(() -> StepHandlerResult.batches("process_batch", CursorConfig.ranges(10, 1), -1, null))
                .hasMessage("a batch's total items must be 0 or more, got -1");
    }

    @Test
    void aCheckpointCarriesItsCursorCountAndPartialResultsAsJson() {
        StepHandlerResult.CheckpointYield yield = StepHandlerResult.checkpoint(Map.of("page", "p7"), 700,
                Map.of("sum", 12));
        assertThat(yield.cursor().toString()).isEqualTo("{\"page\":\"p7\"}");
        assertThat(yield.itemsProcessed()).isEqualTo(700);
        assertThat(yield.accumulatedResults().toString()).isEqualTo("{\"sum\":12}");
        assertThat(StepHandlerResult.checkpoint(5, 5, null).accumulatedResults()).isNull();
        assertThatThrownBy(() -> StepHandlerResult.checkpoint(5, -1, null))
                .hasMessage("a checkpoint's items processed must be 0 or more, got -1");
    }

    @Test
    void aBatchWorkersContextHasItsRangeItsSettingsAndItsCheckpoint() {
        StepContext context = StepContext.builder("process_batch_002").batch("002", 500, 1000)
                .checkpoint(700, 200, Map.of("sum", 99)).build();
        StepContext.BatchWorker batch = context.batch();
        assertThat(batch.batchId()).isEqualTo("002");
        assertThat(batch.startCursor()).isEqualTo(500);
        assertThat(batch.endCursor()).isEqualTo(1000);
        assertThat(batch.batchSize()).isEqualTo(500);
        assertThat(batch.checkpointInterval()).isEqualTo(100);
        assertThat(batch.noOp()).isFalse();
        assertThat(context.checkpoint().cursor().asLong()).isEqualTo(700);
        assertThat(context.checkpoint().itemsProcessed()).isEqualTo(200);
        assertThat(context.checkpoint().accumulatedResults().toString()).isEqualTo("{\"sum\":99}");
    }

    @Test
    void inputsAsTheOutcomeCreatesThemAreReadToo() {
        StepContext context = StepContext.builder("process_batch_001").inputs(Json.parse("""
                {"cursor": {"batch_id": "001", "start_cursor": "a", "end_cursor": "n", "batch_size": 0},
                 "batch_metadata": {"checkpoint_interval": 25, "cursor_field": "name", "failure_strategy": "fail_fast"},
                 "is_no_op": false}""")).build();
        StepContext.BatchWorker batch = context.batch();
        assertThat(batch.start().asText()).isEqualTo("a");
        assertThat(batch.checkpointInterval()).isEqualTo(25);
        assertThat(batch.cursorField()).isEqualTo("name");
        assertThat(batch.failureStrategy()).isEqualTo("fail_fast");
        assertThatThrownBy(batch::startCursor)
                .hasMessage("batch 001's start_cursor is \"a\", not a whole number: read it with start()");

        StepContext placeholder = StepContext.builder("process_batch_001").inputs(Json.parse("""
                {"cursor": {"batch_id": "001", "start_cursor": 0, "end_cursor": 0, "batch_size": 0},
                 "batch_metadata": {}, "is_no_op": true}""")).build();
        assertThat(placeholder.batch().noOp()).isTrue();
    }

    @Test
    void aPlainStepHasNoBatchNoCheckpointAndEmptyInputs() {
        StepContext context = StepContext.builder("plain").build();
        assertThat(context.inputs().isEmpty()).isTrue();
        assertThat(context.batch()).isNull();
        assertThat(context.checkpoint()).isNull();
    }
}
