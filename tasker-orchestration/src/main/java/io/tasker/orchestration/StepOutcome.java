package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/** What running a step's handler produced, as reported by a worker. */
public sealed interface StepOutcome {

    /** The handler succeeded with a JSON result and optional metadata (null for none). */
    record Success(JsonNode result, JsonNode metadata) implements StepOutcome {}

    /**
     * The handler failed. {@code retryable} false is a permanent failure; {@code retryAfter},
     * when not null, overrides the step's backoff. {@code details} (nullable) is stored with the
     * error, e.g. an exception's class and backtrace.
     */
    record Failure(String message, String errorType, boolean retryable, Duration retryAfter, JsonNode details)
            implements StepOutcome {}

    /**
     * A batch worker's checkpoint: its position ({@code cursor}, any JSON), how many items it
     * processed so far and, optionally, its partial results (null for none). The step stays in
     * progress at the same attempt and is run again from there (tasker-core's checkpoint yield);
     * see docs/dynamic-workflows.md.
     */
    record Checkpoint(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults) implements StepOutcome {}
}
