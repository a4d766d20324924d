package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Sent back by the handler layer when a step finished. {@code eventId} is the id of the
 * {@link StepExecutionEvent} it answers. On failure, {@code errorMessage}, {@code errorType},
 * {@code retryable} and optionally {@code retryAfter} say what went wrong and whether to retry.
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
        Instant completedAt) {

    public static StepExecutionCompletionEvent success(StepExecutionEvent event, JsonNode result, JsonNode metadata) {
        return new StepExecutionCompletionEvent(event.eventId(), event.taskUuid(), event.stepUuid(), true, result,
                metadata, null, null, false, null, null, Instant.now());
    }

    public static StepExecutionCompletionEvent failure(StepExecutionEvent event, String message, String errorType,
            boolean retryable, Duration retryAfter, JsonNode errorDetails) {
        return new StepExecutionCompletionEvent(event.eventId(), event.taskUuid(), event.stepUuid(), false, null,
                null, message, errorType, retryable, retryAfter, errorDetails, Instant.now());
    }
}
