package io.tasker.orchestration;

import java.util.List;
import java.util.function.Function;

/** One page of a list, and where the next one starts (null on the last page). */
public record Page<T>(List<T> items, PageCursor next) {

    /**
     * The page of {@code rows}, read with a limit of {@code limit + 1}: the extra row, if there is
     * one, says that a next page exists, which starts after the last row shown.
     */
    static <T> Page<T> of(List<T> rows, int limit, Function<T, PageCursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> shown = List.copyOf(rows.subList(0, limit));
        return new Page<>(shown, cursorOf.apply(shown.getLast()));
    }
}
