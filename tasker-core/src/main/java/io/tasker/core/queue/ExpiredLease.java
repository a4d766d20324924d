package io.tasker.core.queue;

import java.util.UUID;

/**
 * A step whose lease ran out and that went back to the queue to run again.
 *
 * @param attempt the attempt that was running when the lease ran out (it stays counted)
 * @param claimedBy the worker that stopped renewing the lease
 */
public record ExpiredLease(UUID stepId, String stepName, UUID taskId, String namespace, String taskName, int attempt,
                           int maxAttempts, String claimedBy) {}
