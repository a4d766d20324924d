package io.tasker.examples.csv;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Map;

/**
 * The deferred convergence step: adds up the results of every worker the batch created (its
 * dependency results, by instance name {@code process_csv_batch_001}, ...). With no batches the
 * only instance is the placeholder, and the totals are zero.
 */
public final class AggregateCsvResults implements StepHandler {
    private static final String INSTANCE_PREFIX = AnalyzeCsv.WORKER_TEMPLATE + "_";

    @Override
    public StepHandlerResult call(StepContext context) {
        CsvTotals totals = new CsvTotals();
        int workers = 0;
        for (Map.Entry<String, JsonNode> result : context.dependencyResults().entrySet()) {
            if (result.getKey().startsWith(INSTANCE_PREFIX) && !result.getValue().path("no_op").asBoolean(false)) {
                totals.add(result.getValue());
                workers++;
            }
        }
        return StepHandlerResult.success(totals.toJson().put("worker_count", workers));
    }
}
