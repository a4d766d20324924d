package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.state.StepState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A step as clients see it: state, attempts, result and the last error.
 *
 * @param type       standard, decision, deferred_convergence, batchable or batch_worker
 * @param createdBy  the decision or batchable step whose outcome created the step, or null for a step created
 *                   with its task
 * @param batch      for a batch worker instance, {@code {"worker_template", "batch_id", "cursor", "no_op"}};
 *                   else null
 * @param checkpoint the last checkpoint the step saved ({@code cursor}, {@code items_processed},
 *                   {@code accumulated_results}, {@code timestamp}, {@code history}), or null
 */
public record StepView(
        UUID id,
        String name,
        String handlerCallable,
        String type,
        String createdBy,
        StepState state,
        List<String> dependsOn,
        int attempts,
        int maxAttempts,
        JsonNode results,
        JsonNode lastError,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt,
        JsonNode batch,
        JsonNode checkpoint) {}
