package io.tasker.bench;

/**
 * One number a scenario measured, in {@code unit}, with the target it is held to when the
 * architecture sets one (null otherwise).
 */
public record Measure(String name, double value, String unit, Target target) {

    public static Measure of(String name, double value, String unit) {
        return new Measure(name, value, unit, null);
    }

    public static Measure of(String name, double value, String unit, Target target) {
        return new Measure(name, value, unit, target);
    }

    /** "ok", "MISSED", or "" when no target applies. */
    public String verdict() {
        return target == null ? "" : target.met(value) ? "ok" : "MISSED";
    }
}
