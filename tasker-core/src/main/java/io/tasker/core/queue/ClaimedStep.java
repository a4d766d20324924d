package io.tasker.core.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * A step a worker now holds: what it needs to find the handler and to decide about retries.
 * {@code attempts} already counts this attempt; {@code leaseUntil} is on the database clock.
 */
public record ClaimedStep(
        UUID stepId,
        UUID taskId,
        String namespace,
        String stepName,
        String handlerCallable,
        int attempts,
        int maxAttempts,
        Instant leaseUntil) {}
