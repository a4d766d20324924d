package io.tasker.core.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * A step a worker now holds, with everything needed to run it, read in the transaction that
 * claimed it: the step's handler and retry policy, its task's context and the results of all its
 * ancestor steps (JSON text, so parsing waits until the step is run). {@code attempts} already
 * counts this attempt; {@code leaseUntil} is on the database clock.
 *
 * @param dependencyResults a JSON object of ancestor results by step name, or null when none has one
 * @param inputs            the step's inputs, a JSON object (a batch worker's cursor range)
 * @param checkpoint        the last checkpoint the step saved (JSON), or null when none
 */
public record ClaimedStep(
        UUID stepId,
        UUID taskId,
        String namespace,
        String stepName,
        String handlerCallable,
        int attempts,
        int maxAttempts,
        boolean retryable,
        long backoffBaseMs,
        long maxBackoffMs,
        Instant leaseUntil,
        UUID templateId,
        String taskName,
        String taskVersion,
        String context,
        String dependencyResults,
        String inputs,
        String checkpoint) {}
