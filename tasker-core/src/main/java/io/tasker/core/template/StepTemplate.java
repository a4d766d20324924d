package io.tasker.core.template;

import java.util.List;
import java.util.Objects;

/**
 * One step of a template: what runs it, what it waits for, how it is retried and timed out, its
 * {@link StepType}, and for a batchable or batch worker step its {@link BatchConfig} (null when
 * not given).
 */
public record StepTemplate(String name, HandlerSpec handler, List<String> dependsOn, RetryPolicy retry,
                           int timeoutSeconds, StepType type, BatchConfig batchConfig) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    public StepTemplate {
        Rules.require(Rules.stepName(name), Rules.timeoutSeconds(timeoutSeconds));
        Objects.requireNonNull(handler, "handler");
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        retry = retry == null ? RetryPolicy.DEFAULT : retry;
        type = type == null ? StepType.STANDARD : type;
    }

    /** A step without batch_config. */
    public StepTemplate(String name, HandlerSpec handler, List<String> dependsOn, RetryPolicy retry,
                        int timeoutSeconds, StepType type) {
        this(name, handler, dependsOn, retry, timeoutSeconds, type, null);
    }

    /** A standard step. */
    public StepTemplate(String name, HandlerSpec handler, List<String> dependsOn, RetryPolicy retry,
                        int timeoutSeconds) {
        this(name, handler, dependsOn, retry, timeoutSeconds, StepType.STANDARD);
    }

    /** A standard step with the default retry policy and timeout. */
    public StepTemplate(String name, HandlerSpec handler, List<String> dependsOn) {
        this(name, handler, dependsOn, RetryPolicy.DEFAULT, DEFAULT_TIMEOUT_SECONDS, StepType.STANDARD);
    }

    /** The same step with another handler, retry policy and timeout (an environment's overrides). */
    StepTemplate with(HandlerSpec handler, RetryPolicy retry, int timeoutSeconds) {
        return new StepTemplate(name, handler, dependsOn, retry, timeoutSeconds, type, batchConfig);
    }
}
