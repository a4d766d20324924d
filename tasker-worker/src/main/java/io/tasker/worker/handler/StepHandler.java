package io.tasker.worker.handler;

/**
 * A step's business logic. Return {@link StepHandlerResult#success} or
 * {@link StepHandlerResult#failure} (a decision step: {@link StepHandlerResult#decision} or
 * {@link StepHandlerResult#noBranches}), or throw: {@link RetryableException} and
 * {@link PermanentException} say whether to retry; any other exception or error is a retryable
 * failure that records the exception's class, message and first stack frames. Returning null is a
 * success whose result is JSON {@code null}: the step ran and had nothing to report.
 *
 * <p>A new handler instance runs each step unless the registration's factory shares one, so
 * instances need not be thread-safe. When a step times out its thread is interrupted; a handler
 * that waits should let {@link InterruptedException} propagate.
 */
@FunctionalInterface
public interface StepHandler {
    StepHandlerResult call(StepContext context) throws Exception;
}
