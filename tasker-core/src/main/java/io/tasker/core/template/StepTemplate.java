package io.tasker.core.template;

import java.util.List;
import java.util.Objects;

/** One step of a template: what runs it, what it waits for, how it is retried and timed out. */
public record StepTemplate(String name, HandlerSpec handler, List<String> dependsOn, RetryPolicy retry,
                           int timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    public StepTemplate {
        Rules.require(Rules.stepName(name), Rules.timeoutSeconds(timeoutSeconds));
        Objects.requireNonNull(handler, "handler");
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
    }

    /** A step with the default retry policy and timeout. */
    public StepTemplate(String name, HandlerSpec handler, List<String> dependsOn) {
        this(name, handler, dependsOn, RetryPolicy.DEFAULT, DEFAULT_TIMEOUT_SECONDS);
    }
}
