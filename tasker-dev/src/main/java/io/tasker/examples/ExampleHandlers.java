package io.tasker.examples;

import io.tasker.examples.approvals.AutoApprove;
import io.tasker.examples.approvals.FinalizeApproval;
import io.tasker.examples.approvals.FinanceReview;
import io.tasker.examples.approvals.ManagerApproval;
import io.tasker.examples.approvals.RoutingDecision;
import io.tasker.examples.approvals.ValidateRequest;
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
        return Map.ofEntries(
                byName(SquareStep.class, SquareStep::new),
                byName(MultiplyStep.class, MultiplyStep::new),
                byName(ValidateOrder.class, ValidateOrder::new),
                byName(ReserveInventory.class, ReserveInventory::new),
                byName(ProcessPayment.class, ProcessPayment::new),
                byName(ShipOrder.class, ShipOrder::new),
                byName(ValidateRequest.class, ValidateRequest::new),
                byName(RoutingDecision.class, RoutingDecision::new),
                byName(AutoApprove.class, AutoApprove::new),
                byName(ManagerApproval.class, ManagerApproval::new),
                byName(FinanceReview.class, FinanceReview::new),
                byName(FinalizeApproval.class, FinalizeApproval::new),
                byName(AnalyzeCsv.class, AnalyzeCsv::new),
                byName(ProcessCsvBatch.class, ProcessCsvBatch::new),
                byName(AggregateCsvResults.class, AggregateCsvResults::new));
    }

    private static <H extends StepHandler> Map.Entry<String, Supplier<? extends StepHandler>> byName(
            Class<H> type, Supplier<H> handler) {
        return Map.entry(type.getName(), handler);
    }
}
