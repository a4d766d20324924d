package io.tasker.bench;

/**
 * A performance target from ARCHITECTURE.md: a measure is met when it stays at or below
 * {@code limit} (or at or above it, for rates).
 *
 * @param text the target as the architecture states it, for the results table
 */
public record Target(String text, double limit, boolean atMost) {

    public static Target atMost(double limit, String text) {
        return new Target(text, limit, true);
    }

    public static Target atLeast(double limit, String text) {
        return new Target(text, limit, false);
    }

    public boolean met(double value) {
        return atMost ? value <= limit : value >= limit;
    }
}
