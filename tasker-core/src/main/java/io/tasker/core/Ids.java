package io.tasker.core;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 ids (RFC 9562): 48 bits of Unix milliseconds, then random bits. Generated in
 * Java so the schema works on any PostgreSQL 14+, and time-ordered so inserts stay at the right
 * edge of primary-key indexes.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static UUID newId() {
        return newId(System.currentTimeMillis());
    }

    static UUID newId(long epochMillis) {
        long randA = RANDOM.nextInt() & 0xFFFL;
        long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
        long lsb = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
