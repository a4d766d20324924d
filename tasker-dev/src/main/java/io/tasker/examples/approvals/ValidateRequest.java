package io.tasker.examples.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.List;
import java.util.Map;

/** Checks the request: a positive amount, a requester and a purpose; a request without them fails for good. */
public final class ValidateRequest implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        JsonNode request = context.taskContext();
        if (!request.path("amount").isNumber() || request.path("amount").decimalValue().signum() <= 0) {
            throw new PermanentException("amount must be a positive number, got " + request.path("amount"));
        }
        for (String field : List.of("requester", "purpose")) {
            if (request.path(field).asText("").isBlank()) {
                throw new PermanentException(field + " is required");
            }
        }
        return StepHandlerResult.success(Map.of("validated", true, "amount", request.get("amount").decimalValue(),
                "requester", request.get("requester").asText()));
    }
}
