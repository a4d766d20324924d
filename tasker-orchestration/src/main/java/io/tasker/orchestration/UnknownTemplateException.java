package io.tasker.orchestration;

/** No registered template matches the request; the message lists the versions that do exist. */
public class UnknownTemplateException extends OrchestrationException {
    public UnknownTemplateException(String message) {
        super(message);
    }
}
