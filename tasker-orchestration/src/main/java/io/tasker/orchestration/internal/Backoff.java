package io.tasker.orchestration.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed step again: exponential from the step's base delay, capped, with "equal
 * jitter" (half the delay fixed, half random) so a burst of failures does not retry in lockstep
 * while the delay still grows. A handler's own {@code retry_after} wins over the exponential
 * delay, but not over the step's cap ({@code max_backoff_ms}): a handler cannot park a step for
 * centuries.
 */
public final class Backoff {
    private final DoubleSupplier random;

    public Backoff() {
        this(() -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} gives values in [0, 1); tests pass a fixed one. */
    public Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /**
     * @param attempts how many attempts have run, 1 after the first failure
     * @param retryAfter the handler's wish, or null; at most {@code maxMs} is granted
     */
    public Duration delay(int attempts, long baseMs, long maxMs, Duration retryAfter) {
        if (retryAfter != null) {
            Duration cap = Duration.ofMillis(Math.max(0, maxMs));
            return retryAfter.isNegative() ? Duration.ZERO : retryAfter.compareTo(cap) > 0 ? cap : retryAfter;
        }
        int exponent = Math.max(0, Math.min(attempts - 1, 30));
        long exponential = baseMs <= 0 ? 0 : Math.min(maxMs, baseMs * (1L << exponent));
        if (exponential < 0) {
            exponential = maxMs;
        }
        long half = exponential / 2;
        return Duration.ofMillis(exponential - half + (long) (random.getAsDouble() * (half + 1)));
    }
}
