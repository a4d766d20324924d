package io.tasker.core.template;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * A template version, MAJOR.MINOR.PATCH with digits only. Ordered numerically, so 1.10.0 is newer
 * than 1.9.0. Leading zeros are refused because "1.01.0" and "1.1.0" would be different texts for
 * the same number.
 */
public record SemVer(int major, int minor, int patch) implements Comparable<SemVer> {
    private static final Pattern FORMAT = Pattern.compile("(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)");
    private static final Comparator<SemVer> ORDER = Comparator.comparingInt(SemVer::major)
            .thenComparingInt(SemVer::minor)
            .thenComparingInt(SemVer::patch);

    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts must not be negative: " + major + "." + minor + "." + patch);
        }
    }

    /** Parses "1.2.3"; the exception message says what is wrong in words a template author understands. */
    public static SemVer parse(String text) {
        var matcher = text == null ? null : FORMAT.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("version '" + text
                    + "' is not MAJOR.MINOR.PATCH with digits only and no leading zeros, e.g. 1.0.0");
        }
        try {
            return new SemVer(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("version '" + text + "' has a part larger than " + Integer.MAX_VALUE);
        }
    }

    @Override
    public int compareTo(SemVer other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
