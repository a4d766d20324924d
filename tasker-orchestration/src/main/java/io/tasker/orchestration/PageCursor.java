package io.tasker.orchestration;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page of a list starts: the sort key of the last row shown, a time and an id.
 * Rows are listed by that key, newest first, so a row inserted meanwhile (newer) never shifts the
 * pages after the first. Opaque to clients: {@link #encode} and {@link #decode} are its only form.
 */
public record PageCursor(Instant at, UUID id) {
    /** Before every row: where the first page starts. */
    static final PageCursor FIRST = new PageCursor(Instant.parse("9999-12-31T00:00:00Z"), new UUID(-1L, -1L));

    public String encode() {
        String key = at.getEpochSecond() + "." + at.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code text} is not a cursor this class wrote */
    public static PageCursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\.", 3);
            return new PageCursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cursor '" + text + "' is not one this server gave: pass the "
                    + "next_cursor of the page before, or leave it out for the first page");
        }
    }
}
