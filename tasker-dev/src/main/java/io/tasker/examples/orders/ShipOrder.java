package io.tasker.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Map;

/**
 * Ships the order once goods are reserved and payment is taken, quoting both (results of its
 * parents) and the validation before them (a grandparent: every ancestor's result is at hand).
 */
public final class ShipOrder implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        Order order = Order.of(context);
        Order.parentResult(context, "validate_order");
        JsonNode reservation = Order.parentResult(context, "reserve_inventory");
        JsonNode payment = Order.parentResult(context, "process_payment");
        return StepHandlerResult.success(Map.of(
                "order_id", order.id(),
                "reservation_id", reservation.path("reservation_id").asText(),
                "payment_id", payment.path("payment_id").asText(),
                "tracking_number", order.derivedId("TRK"),
                "status", "shipped"));
    }
}
