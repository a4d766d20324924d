package io.tasker.examples;

import io.tasker.examples.csv.AggregateCsvResults;
import io.tasker.examples.csv.AnalyzeCsv;
import io.tasker.examples.csv.ProcessCsvBatch;
import io.tasker.examples.math.MultiplyStep;
import io.tasker.examples.math.SquareStep;
import io.tasker.examples.orders.ProcessPayment;
import io.tasker.examples.orders.ReserveInventory;
import io.tasker.examples.orders.ShipOrder;
import io.tasker.examples.orders.ValidateOrder;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The Java handlers of the example templates, found by workers through
 * {@code META-INF/services}. Each is registered under its class name, the callable the
 * templates give.
 */
public final class ExampleHandlers implements StepHandlerProvider {

    @Override
    public Map<String, Supplier<? extends StepHandler>> handlers() {
        return Map.of(
                SquareStep.class.getName(), SquareStep::new,
                MultiplyStep.class.getName(), MultiplyStep::new,
                ValidateOrder.class.getName(), ValidateOrder::new,
                ReserveInventory.class.getName(), ReserveInventory::new,
                ProcessPayment.class.getName(), ProcessPayment::new,
                ShipOrder.class.getName(), ShipOrder::new,
                AnalyzeCsv.class.getName(), AnalyzeCsv::new,
                ProcessCsvBatch.class.getName(), ProcessCsvBatch::new,
                AggregateCsvResults.class.getName(), AggregateCsvResults::new);
    }
}
