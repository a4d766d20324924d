package io.tasker.orchestration;

import io.tasker.core.TaskerException;

/** The root of what orchestration refuses, so the REST layer can map this module's errors in one place. */
public class OrchestrationException extends TaskerException {
    public OrchestrationException(String message) {
        super(message);
    }

    public OrchestrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
