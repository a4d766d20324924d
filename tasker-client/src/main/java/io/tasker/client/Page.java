package io.tasker.client;

import java.util.List;

/**
 * One page of a list, newest first.
 *
 * @param nextCursor pass it to the same query's {@code cursor(...)} for the next page; null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasNext() {
        return nextCursor != null;
    }
}
