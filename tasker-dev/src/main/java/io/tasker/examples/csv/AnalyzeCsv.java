package io.tasker.examples.csv;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.CursorConfig;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batchable step: splits the task's {@code rows} into {@code ceil(rows / batch_size)} cursor
 * ranges, one {@code process_csv_batch} worker each ({@code batch_size} from the context, else the
 * handler's initialization). A file with no rows needs no batches.
 */
public final class AnalyzeCsv implements StepHandler {
    static final String WORKER_TEMPLATE = "process_csv_batch";
    /** The most workers a batchable step may create. */
    static final long MAX_BATCHES = 100_000;

    @Override
    public StepHandlerResult call(StepContext context) {
        long rows = wholeNumber(context.taskContext().get("rows"), "context.rows", 0);
        JsonNode givenSize = context.taskContext().get("batch_size");
        long batchSize = givenSize != null
                ? wholeNumber(givenSize, "context.batch_size", 1)
                : wholeNumber(context.initialization().get("batch_size"), "the handler's initialization batch_size", 1);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", rows);
        result.put("batch_size", batchSize);
        if (rows == 0) {
            result.put("reason", "no_rows");
            return StepHandlerResult.noBatches(result);
        }
        long batches = (rows + batchSize - 1) / batchSize;
        if (batches > MAX_BATCHES) {
            throw new PermanentException(rows + " rows in batches of " + batchSize + " make " + batches
                    + " batches; at most " + MAX_BATCHES + " are allowed: give a batch_size of at least "
                    + (rows + MAX_BATCHES - 1) / MAX_BATCHES);
        }
        return StepHandlerResult.batches(WORKER_TEMPLATE, CursorConfig.ranges(rows, (int) batches), rows, result);
    }

    private static long wholeNumber(JsonNode value, String name, long minimum) {
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()
                || value.longValue() < minimum) {
            throw new PermanentException(name + " must be a whole number of " + minimum + " or more, as in "
                    + "{\"rows\": 1000000, \"batch_size\": 10000}; got " + value);
        }
        return value.longValue();
    }
}
