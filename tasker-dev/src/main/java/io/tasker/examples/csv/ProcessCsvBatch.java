package io.tasker.examples.csv;

import io.tasker.core.internal.Json;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

/**
 * A batch worker: counts the rows of its cursor range, {@code checkpoint_interval} rows per run.
 * After each such slice short of the end it saves a checkpoint (the next row and the totals so far)
 * and is run again from it, so a retry or another worker after a crash resumes there instead of at
 * the start. The placeholder worker of a task with no batches has nothing to count.
 */
public final class ProcessCsvBatch implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        StepContext.BatchWorker batch = context.batch();
        if (batch == null) {
            throw new PermanentException("step " + context.stepName() + " has no cursor in its inputs: "
                    + "ProcessCsvBatch runs the batch_worker step of a batch, not a step of its own");
        }
        if (batch.noOp()) {
            return StepHandlerResult.success(Json.MAPPER.createObjectNode()
                    .put("batch_id", batch.batchId()).put("no_op", true).put("processed_count", 0));
        }
        long end = batch.endCursor();
        StepContext.Checkpoint checkpoint = context.checkpoint();
        long from = checkpoint == null ? batch.startCursor() : checkpoint.cursor().asLong();
        CsvTotals totals = CsvTotals.of(checkpoint == null ? null : checkpoint.accumulatedResults());
        long to = Math.min(end, from + batch.checkpointInterval());
        for (long row = from; row < to; row++) {
            totals.addRow(row);
        }
        if (to < end) {
            return StepHandlerResult.checkpoint(to, totals.processedCount(), totals.toJson());
        }
        return StepHandlerResult.success(totals.toJson().put("batch_id", batch.batchId()));
    }
}
