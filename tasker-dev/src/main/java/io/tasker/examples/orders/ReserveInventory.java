package io.tasker.examples.orders;

import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Map;

/** Reserves the order's goods; the reservation id is derived from the order id, so reruns agree. */
public final class ReserveInventory implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        Order order = Order.of(context);
        Order.parentResult(context, "validate_order");
        return StepHandlerResult.success(Map.of(
                "order_id", order.id(),
                "reservation_id", order.derivedId("RES"),
                "status", "reserved"));
    }
}
