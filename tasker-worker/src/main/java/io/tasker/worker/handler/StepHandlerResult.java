package io.tasker.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.time.Duration;
import java.util.List;

/**
 * What a handler returns: a JSON result, a decision step's choice of the steps to create next
 * (see docs/dynamic-workflows.md), or a failure that says whether to retry.
 */
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
     * A decision step's choice: the names of the steps to create next, none when {@code steps} is
     * empty, beside the handler's own {@code result} (a JSON object, or null for none) and optional
     * metadata. It is stored as tasker-core stores it: the result with
     * {@code decision_point_outcome} among its fields ({@link #storedResult()}), so the steps that
     * depend on the decision read its data and its choice alike.
     */
    record Decision(List<String> steps, JsonNode result, JsonNode metadata) implements StepHandlerResult {
        public Decision {
            steps = List.copyOf(steps);
            if (steps.stream().anyMatch(String::isBlank)) {
                throw new PermanentException("a decision names the steps to create; got a blank name in " + steps);
            }
            if (result != null && !result.isNull() && !result.isObject()) {
                throw new PermanentException("a decision's result must be a JSON object (a Map or a record), "
                        + "to hold decision_point_outcome beside its fields; got " + result.getNodeType());
            }
        }

        /** The step's result as stored: the handler's fields and {@code decision_point_outcome}. */
        public ObjectNode storedResult() {
            ObjectNode stored = result == null || result.isNull() ? Json.MAPPER.createObjectNode()
                    : ((ObjectNode) result).deepCopy();
            ObjectNode outcome = stored.putObject("decision_point_outcome");
            if (steps.isEmpty()) {
                outcome.put("type", "no_branches");
            } else {
                outcome.put("type", "create_steps");
                steps.forEach(outcome.putArray("step_names")::add);
            }
            return stored;
        }
    }

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

    /** A decision step's choice of the steps to create next. */
    static Decision decision(List<String> steps) {
        return new Decision(steps, null, null);
    }

    /** A decision step's choice, with the handler's result (converted to a JSON object) beside it. */
    static Decision decision(List<String> steps, Object result) {
        return new Decision(steps, toJson("result", result), null);
    }

    static Decision decision(List<String> steps, Object result, Object metadata) {
        return new Decision(steps, toJson("result", result), toJson("metadata", metadata));
    }

    /** A decision step's choice to create none of its branches. */
    static Decision noBranches() {
        return new Decision(List.of(), null, null);
    }

    /** A decision step's choice to create none of its branches, with the handler's result beside it. */
    static Decision noBranches(Object result) {
        return new Decision(List.of(), toJson("result", result), null);
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
