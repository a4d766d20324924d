package io.tasker.core;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUID version 7 ids (RFC 9562): 48 bits of Unix milliseconds, then random bits. Generated in
 * Java so the schema works on any PostgreSQL 14+, and time-ordered so inserts stay at the right
 * edge of primary-key indexes.
 *
 * <p>The random bits only need to make ids unique, not unguessable (an id grants nothing), so
 * they come from {@link ThreadLocalRandom}, seeded per thread from the system's entropy, instead
 * of a {@code SecureRandom} whose shared lock and system calls a busy worker would pay for every
 * step.
 */
public final class Ids {
    private Ids() {}

    public static UUID newId() {
        return newId(System.currentTimeMillis());
    }

    /**
     * When an id of {@link #newId()} was made, to the millisecond; empty for an id of another
     * version. A task's id is made as the task is created, so this is its creation time, on the
     * clock of the process that created it.
     */
    public static Optional<Instant> timeOf(UUID id) {
        return id.version() == 7 ? Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16))
                : Optional.empty();
    }

    static UUID newId(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long randA = random.nextInt() & 0xFFFL;
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
