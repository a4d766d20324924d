package io.tasker.server.api;

import io.javalin.http.Context;
import io.tasker.orchestration.PageCursor;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * The query parameters of a list route, read strictly: a parameter the route does not take is a
 * 400 naming it and those it takes, so a misspelled filter never silently shows everything.
 */
final class QueryParams {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** The first and last instants of PostgreSQL's {@code timestamptz}: 4713 BC and 294276 AD. */
    private static final Instant EARLIEST = Instant.parse("-4712-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");

    private final Context ctx;

    private QueryParams(Context ctx) {
        this.ctx = ctx;
    }

    /** @throws ApiError 400 when {@code ctx} has a parameter not in {@code accepted} */
    static QueryParams of(Context ctx, Set<String> accepted) {
        Set<String> unknown = new TreeSet<>(ctx.queryParamMap().keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw ApiError.badRequest("unknown query parameter" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + "; " + ctx.method() + " " + ctx.endpointHandlerPath() + " takes "
                    + String.join(", ", new TreeSet<>(accepted)));
        }
        return new QueryParams(ctx);
    }

    /** The parameter's value, or null when absent or blank; given twice, it is a 400. */
    String text(String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiError.badRequest(name + " is given " + values.size() + " times; give it once");
        }
        return values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst().strip();
    }

    UUID uuid(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            return UuidText.parse(text, name);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    Instant instant(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '"
                    + text + "'");
        }
        if (!storable(instant)) {
            throw ApiError.badRequest(name + " must be an instant from " + EARLIEST + " to " + LATEST
                    + " (the times PostgreSQL holds), got '" + text + "'");
        }
        return instant;
    }

    /**
     * Whether PostgreSQL's {@code timestamptz} holds {@code instant}. Java's instants reach further
     * (to the year 1,000,000,000), and past year 999,999,999 cannot even be bound as a parameter.
     */
    private static boolean storable(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    int limit() {
        String text = text("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw ApiError.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'");
    }

    PageCursor cursor() {
        String text = text("cursor");
        if (text == null) {
            return null;
        }
        PageCursor cursor;
        try {
            cursor = PageCursor.decode(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (!storable(cursor.at())) {
            throw ApiError.badRequest("cursor '" + text + "' points to a time PostgreSQL does not hold, so no page "
                    + "starts there: pass the next_cursor of the page before, or leave it out for the first page");
        }
        return cursor;
    }

    /** Values of a state parameter, one or several separated by commas. */
    <S extends Enum<S>> List<S> states(String name, Class<S> type, Function<String, S> fromDb) {
        String text = text(name);
        List<S> states = new ArrayList<>();
        if (text == null) {
            return states;
        }
        for (String value : text.split(",")) {
            try {
                states.add(fromDb.apply(value.strip().toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(name + " must be one or more of " + String.join(", ",
                        Arrays.stream(type.getEnumConstants()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList())
                        + " separated by commas, got '" + value.strip() + "'");
            }
        }
        return states;
    }

    /** The start of an id: 4 to 36 hex digits and dashes, lower-cased. */
    String idPrefix(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        String prefix = text.toLowerCase(Locale.ROOT);
        if (!prefix.matches("[0-9a-f-]{1,36}") || prefix.replace("-", "").length() < 4) {
            throw ApiError.badRequest(name + " must be the start of a task id, at least 4 hex digits (dashes "
                    + "allowed), got '" + text + "'");
        }
        return prefix;
    }
}
