package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Sent back by the handler layer when a step finished. {@code eventId} is the id of the
 * {@link StepExecutionEvent} it answers. On failure, {@code errorMessage}, {@code errorType},
 * {@code retryable} and optionally {@code retryAfter} say what went wrong and whether to retry.
 * A batch worker that saved its progress instead ({@link #checkpoint(StepExecutionEvent, JsonNode,
 * long, JsonNode)}) has a {@code checkpoint} and is neither: its step is saved and run again.
 */
public record StepExecutionCompletionEvent(
        UUID eventId,
        UUID taskUuid,
        UUID stepUuid,
        boolean success,
        JsonNode result,
        JsonNode metadata,
        String errorMessage,
        String errorType,
        boolean retryable,
        Duration retryAfter,
        JsonNode errorDetails,
        Instant completedAt,
        Checkpoint checkpoint) {

    /** A batch worker's progress: its position, the items processed so far, partial results or null. */
    public record Checkpoint(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults) {}

    /** A success or a failure. */
    public StepExecutionCompletionEvent(UUID eventId, UUID taskUuid, UUID stepUuid, boolean success, JsonNode result,
            JsonNode metadata, String errorMessage, String errorType, boolean retryable, Duration retryAfter,
            JsonNode errorDetails, Instant completedAt) {
        this(eventId, taskUuid, stepUuid, success, result, metadata, errorMessage, errorType, retryable, retryAfter,
                errorDetails, completedAt, null);
    }

    public boolean isCheckpoint() {
        return checkpoint != null;
    }

    public static StepExecutionCompletionEvent success(StepExecutionEvent event, JsonNode result, JsonNode metadata) {
        return new StepExecutionCompletionEvent(event.eventId(), event.taskUuid(), event.stepUuid(), true, result,
                metadata, null, null, false, null, null, Instant.now());
    }

    public static StepExecutionCompletionEvent failure(StepExecutionEvent event, String message, String errorType,
            boolean retryable, Duration retryAfter, JsonNode errorDetails) {
        return new StepExecutionCompletionEvent(event.eventId(), event.taskUuid(), event.stepUuid(), false, null,
                null, message, errorType, retryable, retryAfter, errorDetails, Instant.now());
    }

    /** The step saved its progress and runs again from it (tasker-core's checkpoint yield). */
    public static StepExecutionCompletionEvent checkpoint(StepExecutionEvent event, JsonNode cursor,
            long itemsProcessed, JsonNode accumulatedResults) {
        return new StepExecutionCompletionEvent(event.eventId(), event.taskUuid(), event.stepUuid(), false, null,
                null, null, null, false, null, null, Instant.now(),
                new Checkpoint(cursor, itemsProcessed, accumulatedResults));
    }
}
