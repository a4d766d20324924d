package io.tasker.server.api;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads ids from request text strictly: {@link UUID#fromString} accepts forms like {@code 1-2-3-4-5},
 * which would turn a client's typo into a lookup of some other id.
 */
final class UuidText {
    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private UuidText() {}

    /** @throws IllegalArgumentException naming {@code what} and the expected form */
    static UUID parse(String text, String what) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException(what + " must be a UUID such as 0190f1a4-5b6c-7d8e-9f01-23456789abcd, got '"
                    + text + "'");
        }
        return UUID.fromString(text);
    }
}
