package io.tasker.examples.orders;

import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Map;

/** Accepts the order, or rejects it for good when the context says {@code invalid: true}. */
public final class ValidateOrder implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        Order order = Order.of(context);
        if (order.invalid()) {
            throw new PermanentException("order " + order.id() + " is invalid: rejected by validation");
        }
        return StepHandlerResult.success(Map.of("order_id", order.id(), "status", "validated"));
    }
}
