package io.tasker.orchestration;

import io.tasker.core.queue.ClaimedStep;

import java.util.Objects;
import java.util.UUID;

/**
 * A step whose attempt ended, as its worker reports it: which step of which task it is (the names
 * for the log), which attempt it was, the step's retry policy (to decide between a retry and an
 * error), and what the handler produced.
 */
public record FinishedStep(UUID stepId, String stepName, UUID taskId, String namespace, String taskName, int attempt,
        int maxAttempts, boolean retryable, long backoffBaseMs, long maxBackoffMs, StepOutcome outcome) {

    public FinishedStep {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** The end of the attempt {@code claim} started. */
    public static FinishedStep of(ClaimedStep claim, StepOutcome outcome) {
        return new FinishedStep(claim.stepId(), claim.stepName(), claim.taskId(), claim.namespace(), claim.taskName(),
                claim.attempts(), claim.maxAttempts(), claim.retryable(), claim.backoffBaseMs(), claim.maxBackoffMs(),
                outcome);
    }

    FinishedStep withOutcome(StepOutcome replaced) {
        return new FinishedStep(stepId, stepName, taskId, namespace, taskName, attempt, maxAttempts, retryable,
                backoffBaseMs, maxBackoffMs, replaced);
    }
}
