package io.tasker.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.time.Duration;
import java.util.List;

/**
 * What a handler returns: a JSON result, a decision step's choice of the steps to create next, a
 * batchable step's batches, a batch worker's checkpoint (see docs/dynamic-workflows.md), or a
 * failure that says whether to retry.
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
            objectOrNull("a decision's", result, "decision_point_outcome");
        }

        /** The step's result as stored: the handler's fields and {@code decision_point_outcome}. */
        public ObjectNode storedResult() {
            ObjectNode stored = copyOf(result);
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
     * A batchable step's outcome: {@code cursors.size()} instances of the batch worker step
     * {@code workerTemplate}, one per cursor range, over {@code totalItems} items in all; or, with
     * {@code workerTemplate} null and no cursors, no batches (one placeholder worker runs, so the
     * convergence step runs as always). Beside it the handler's own {@code result} (a JSON object,
     * or null for none) and optional metadata. Stored as tasker-core stores it: the result with
     * {@code batch_processing_outcome} among its fields ({@link #storedResult()}).
     */
    record Batches(String workerTemplate, List<CursorConfig> cursors, long totalItems, JsonNode result,
            JsonNode metadata) implements StepHandlerResult {
        public Batches {
            cursors = List.copyOf(cursors);
            if (workerTemplate == null ? !cursors.isEmpty() : workerTemplate.isBlank() || cursors.isEmpty()) {
                throw new PermanentException(workerTemplate == null
                        ? "batches without a worker template are no batches, and have no cursors; got " + cursors.size()
                        : "batches name the batch_worker step to create and give at least one cursor range; got '"
                                + workerTemplate + "' and " + cursors.size() + " (return noBatches() for none)");
            }
            if (totalItems < 0) {
                throw new PermanentException("a batch's total items must be 0 or more, got " + totalItems);
            }
            objectOrNull("a batch outcome's", result, "batch_processing_outcome");
        }

        /** The step's result as stored: the handler's fields and {@code batch_processing_outcome}. */
        public ObjectNode storedResult() {
            ObjectNode stored = copyOf(result);
            ObjectNode outcome = stored.putObject("batch_processing_outcome");
            if (workerTemplate == null) {
                outcome.put("type", "no_batches");
                return stored;
            }
            outcome.put("type", "create_batches").put("worker_template_name", workerTemplate)
                    .put("worker_count", cursors.size());
            ArrayNode configs = outcome.putArray("cursor_configs");
            for (CursorConfig cursor : cursors) {
                configs.addObject().put("batch_id", cursor.batchId())
                        .<ObjectNode>set("start_cursor", toJson("start cursor", cursor.startCursor()))
                        .<ObjectNode>set("end_cursor", toJson("end cursor", cursor.endCursor()))
                        .put("batch_size", cursor.batchSize());
            }
            outcome.put("total_items", totalItems);
            return stored;
        }
    }

    /**
     * A batch worker's "save my progress and run me again" (tasker-core's checkpoint yield): its
     * position ({@code cursor}, any JSON), how many items it processed so far in all, and optional
     * partial results to carry on with (null for none). The worker saves them and runs the step
     * again at once, with them in {@link StepContext#checkpoint()}; a retry or another worker after
     * a crash resumes from them too.
     */
    record CheckpointYield(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults)
            implements StepHandlerResult {
        public CheckpointYield {
            cursor = cursor == null ? NullNode.getInstance() : cursor;
            if (itemsProcessed < 0) {
                throw new PermanentException("a checkpoint's items processed must be 0 or more, got " + itemsProcessed);
            }
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

    /**
     * A batchable step's choice to process its {@code totalItems} items in batches: one instance of
     * the batch worker step {@code workerTemplate} per cursor range (see {@link CursorConfig#ranges}),
     * with the handler's result (converted to a JSON object) beside it.
     */
    static Batches batches(String workerTemplate, List<CursorConfig> cursors, long totalItems, Object result) {
        return new Batches(workerTemplate, cursors, totalItems, toJson("result", result), null);
    }

    /** A batchable step's choice to create no batches, with the handler's result beside it. */
    static Batches noBatches(Object result) {
        return new Batches(null, List.of(), 0, toJson("result", result), null);
    }

    /**
     * A batch worker's checkpoint: save {@code cursor}, the items processed so far and optional
     * partial results, and run the step again from there (converted to JSON as results are).
     */
    static CheckpointYield checkpoint(Object cursor, long itemsProcessed, Object accumulatedResults) {
        return new CheckpointYield(toJson("checkpoint cursor", cursor), itemsProcessed,
                accumulatedResults == null ? null : toJson("accumulated results", accumulatedResults));
    }

    static StepHandlerResult failure(String message, String errorType, boolean retryable, Duration retryAfter) {
        return new Failure(message, errorType, retryable, retryAfter);
    }

    private static void objectOrNull(String whose, JsonNode result, String outcomeField) {
        if (result != null && !result.isNull() && !result.isObject()) {
            throw new PermanentException(whose + " result must be a JSON object (a Map or a record), to hold "
                    + outcomeField + " beside its fields; got " + result.getNodeType());
        }
    }

    private static ObjectNode copyOf(JsonNode result) {
        return result == null || result.isNull() ? Json.MAPPER.createObjectNode() : ((ObjectNode) result).deepCopy();
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
