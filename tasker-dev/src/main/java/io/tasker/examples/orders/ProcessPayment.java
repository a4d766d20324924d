package io.tasker.examples.orders;

import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.time.Duration;
import java.util.Map;

/**
 * Takes the payment. With {@code payment_failures: k} in the context the gateway is "down" for
 * the first k attempts, which shows retries; the retry is due at once so the demo does not wait.
 */
public final class ProcessPayment implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        Order order = Order.of(context);
        Order.parentResult(context, "validate_order");
        int attempt = context.attempt();
        if (attempt <= order.paymentFailures()) {
            throw new RetryableException("payment gateway unavailable (simulated failure " + attempt + " of "
                    + order.paymentFailures() + ")", Duration.ZERO);
        }
        return StepHandlerResult.success(Map.of(
                "order_id", order.id(),
                "payment_id", order.derivedId("PAY"),
                "status", "captured",
                "attempts", attempt));
    }
}
