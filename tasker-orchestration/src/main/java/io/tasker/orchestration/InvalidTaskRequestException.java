package io.tasker.orchestration;

/** A task request that cannot be acted on as written, such as a malformed version or a missing idempotency key. */
public class InvalidTaskRequestException extends OrchestrationException {
    public InvalidTaskRequestException(String message) {
        super(message);
    }
}
