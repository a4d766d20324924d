package io.tasker.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;

import java.time.Duration;

/** What a handler returns: a JSON result, or a failure that says whether to retry. */
public sealed interface StepHandlerResult {

    record Success(JsonNode result, JsonNode metadata) implements StepHandlerResult {}

    record Failure(String message, String errorType, boolean retryable, Duration retryAfter)
            implements StepHandlerResult {}

    /** A success whose result is {@code result} converted to JSON (a Map, record, number, ...). */
    static StepHandlerResult success(Object result) {
        return new Success(Json.MAPPER.valueToTree(result), null);
    }

    static StepHandlerResult success(Object result, Object metadata) {
        return new Success(Json.MAPPER.valueToTree(result), Json.MAPPER.valueToTree(metadata));
    }

    static StepHandlerResult failure(String message, String errorType, boolean retryable, Duration retryAfter) {
        return new Failure(message, errorType, retryable, retryAfter);
    }
}
