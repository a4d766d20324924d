package io.tasker.bench.chaos.internal;

import java.util.UUID;

/**
 * How long a chaos step runs, from its id, so a step runs as long on every attempt and in either
 * language ({@code chaos_step.rb} has the same rule). Most steps take 50 to 500 ms, long enough
 * that a kill lands in the middle of some; one in twenty takes 1.5 to 3 s, longer than the
 * workers' shutdown timeout in a chaos run, so a SIGTERM leaves some to be released.
 */
final class StepDelay {
    private StepDelay() {}

    public static long millis(UUID stepId) {
        // The last 32 bits: random in a UUID v7, whose leading bits are its time.
        long bits = stepId.getLeastSignificantBits() & 0xffff_ffffL;
        return bits % 20 == 0 ? 1_500 + bits % 1_501 : 50 + bits % 451;
    }
}
