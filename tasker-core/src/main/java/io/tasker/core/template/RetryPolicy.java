package io.tasker.core.template;

/**
 * How a failed step is retried: exponential backoff from {@code backoffBaseMs}, capped at
 * {@code maxBackoffMs}, for at most {@code maxAttempts} attempts in all (the first run counts).
 */
public record RetryPolicy(boolean retryable, int maxAttempts, long backoffBaseMs, long maxBackoffMs) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(true, 3, 1_000, 30_000);

    public RetryPolicy {
        Rules.require(
                Rules.maxAttempts(maxAttempts),
                Rules.notNegative("retry.backoff_base_ms", backoffBaseMs),
                Rules.notNegative("retry.max_backoff_ms", maxBackoffMs),
                Rules.backoffOrder(backoffBaseMs, maxBackoffMs));
    }
}
