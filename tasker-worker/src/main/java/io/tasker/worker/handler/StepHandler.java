package io.tasker.worker.handler;

/**
 * A step's business logic. Return {@link StepHandlerResult#success} or
 * {@link StepHandlerResult#failure}, or throw: {@link RetryableException} and
 * {@link PermanentException} say whether to retry; any other exception is a retryable failure
 * that records the exception's class and message. A new handler instance runs each step unless
 * the registration shares one, so instances need not be thread-safe.
 */
@FunctionalInterface
public interface StepHandler {
    StepHandlerResult call(StepContext context) throws Exception;
}
