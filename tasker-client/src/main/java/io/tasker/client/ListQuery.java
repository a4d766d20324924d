package io.tasker.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The query of a paged list: its filters, how many items a page holds and where it starts. Each
 * method returns a new query, so a query can be kept and reused.
 */
public abstract sealed class ListQuery<Q extends ListQuery<Q>> permits TaskQuery, StepQuery, DeadLetterQuery {
    /** The most items a page can hold; the server's default is 50. */
    public static final int MAX_LIMIT = 500;

    private final Map<String, String> parameters;

    ListQuery(Map<String, String> parameters) {
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** At most {@code limit} items a page, 1 to {@value #MAX_LIMIT}. */
    public Q limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        return with("limit", Integer.toString(limit));
    }

    /** The page that starts where {@code cursor} (a {@link Page#nextCursor()}) says; null for the first page. */
    public Q cursor(String cursor) {
        return with("cursor", cursor);
    }

    /** The query parameters as sent, in the order they were set. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** This query with {@code name} set to {@code value}, or without it for a null value. */
    final Q with(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(parameters);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return copy(changed);
    }

    abstract Q copy(Map<String, String> parameters);

    /** {@code ?a=1&b=2}, or empty without parameters. */
    final String queryString() {
        return parameters.isEmpty() ? "" : parameters.entrySet().stream()
                .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((ListQuery<?>) other).parameters.equals(parameters);
    }

    @Override
    public final int hashCode() {
        return parameters.hashCode();
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + parameters;
    }
}
