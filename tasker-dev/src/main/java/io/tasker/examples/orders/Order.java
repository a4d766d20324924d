package io.tasker.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;

/**
 * The order an order_fulfillment task works on, read from its context. The template's input
 * schema has already checked the types; the checks here keep the handlers safe when a template
 * is changed without them.
 *
 * @param paymentFailures how many payment attempts fail before one succeeds (to show retries)
 * @param invalid         whether validation rejects the order (to show a permanent failure)
 */
record Order(String id, int paymentFailures, boolean invalid) {

    static Order of(StepContext context) {
        JsonNode order = context.taskContext();
        JsonNode id = order.get("order_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new PermanentException("context.order_id must be a non-empty string, got " + id);
        }
        JsonNode failures = order.path("payment_failures");
        return new Order(id.asText(), failures.canConvertToInt() ? failures.intValue() : 0,
                order.path("invalid").asBoolean(false));
    }

    /** An identifier of this order's {@code kind} (reservation, payment, ...): the same on every run. */
    String derivedId(String prefix) {
        return prefix + "-" + id;
    }

    /** The result a parent step recorded; its absence means the template no longer fits the handlers. */
    static JsonNode parentResult(StepContext context, String stepName) {
        JsonNode result = context.dependencyResult(stepName);
        if (result == null) {
            throw new PermanentException("step " + context.stepName() + " needs the result of step " + stepName
                    + ", but the task has none; check that the template lists it in depends_on");
        }
        return result;
    }
}
