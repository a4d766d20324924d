package io.tasker.worker.handler;

import java.time.Duration;

/**
 * A failure worth retrying; {@code retryAfter} (nullable) overrides the step's backoff, up to the
 * step's {@code max_backoff_ms}.
 */
public class RetryableException extends RuntimeException {
    private final Duration retryAfter;

    public RetryableException(String message) {
        this(message, (Duration) null);
    }

    public RetryableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = null;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
