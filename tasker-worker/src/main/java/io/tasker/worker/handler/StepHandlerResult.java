package io.tasker.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.tasker.core.internal.Json;

import java.time.Duration;

/** What a handler returns: a JSON result, or a failure that says whether to retry. */
public sealed interface StepHandlerResult {

    /** A JSON result (JSON null when {@code result} is null) and optional metadata (null for none). */
    record Success(JsonNode result, JsonNode metadata) implements StepHandlerResult {
        public Success {
            result = result == null ? NullNode.getInstance() : result;
        }
    }

    record Failure(String message, String errorType, boolean retryable, Duration retryAfter)
            implements StepHandlerResult {}

    /**
     * A success whose result is {@code result} converted to JSON (a Map, record, number, ...).
     *
     * @throws PermanentException if the value cannot be converted: retrying would not change that
     */
    static StepHandlerResult success(Object result) {
        return new Success(toJson("result", result), null);
    }

    static StepHandlerResult success(Object result, Object metadata) {
        return new Success(toJson("result", result), toJson("metadata", metadata));
    }

    static StepHandlerResult failure(String message, String errorType, boolean retryable, Duration retryAfter) {
        return new Failure(message, errorType, retryable, retryAfter);
    }

    private static JsonNode toJson(String what, Object value) {
        try {
            return Json.MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new PermanentException("the step's " + what + " (a " + value.getClass().getName()
                    + ") cannot be converted to JSON: " + e.getMessage(), e);
        }
    }
}
