package io.tasker.server.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times and durations as the CLI prints them: in the local time zone, to the second or the millisecond. */
final class TimeText {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private TimeText() {}

    /** {@code 2025-05-01 14:03:07}, or null. */
    static String dateTime(Instant at) {
        return at == null ? null : DATE_TIME.format(at);
    }

    /** {@code 14:03:07.125}: a watched task's events, close together. */
    static String clock(Instant at) {
        return CLOCK.format(at);
    }

    /** {@code 840 ms}, {@code 12.5 s}, {@code 4 min 05 s}, {@code 2 h 03 min}; null for null. */
    static String duration(Long millis) {
        if (millis == null) {
            return null;
        }
        Duration d = Duration.ofMillis(millis);
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (d.toHours() == 0) {
            return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%d h %02d min", d.toHours(), d.toMinutesPart());
    }

    /** Whole seconds from {@code now} to {@code at}, rounded up; 0 when it is past. */
    static long secondsUntil(Instant at, Instant now) {
        long millis = Duration.between(now, at).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
