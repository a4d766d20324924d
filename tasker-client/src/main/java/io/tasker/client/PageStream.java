package io.tasker.client;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The items of every page of a list, each page fetched only when the items before it are used up. */
final class PageStream<T, Q extends ListQuery<Q>> implements Iterator<T> {
    private final Q query;
    private final Function<Q, Page<T>> fetch;
    private Page<T> page;
    private Iterator<T> items = Collections.emptyIterator();

    private PageStream(Q query, Function<Q, Page<T>> fetch) {
        this.query = query;
        this.fetch = fetch;
    }

    static <T, Q extends ListQuery<Q>> Stream<T> of(Q query, Function<Q, Page<T>> fetch) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new PageStream<>(query, fetch),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public boolean hasNext() {
        while (!items.hasNext()) {
            if (page != null && !page.hasNext()) {
                return false;
            }
            String after = page == null ? null : page.nextCursor();
            page = fetch.apply(after == null ? query : query.cursor(after));
            if (after != null && after.equals(page.nextCursor())) {
                // A server that hands back the cursor it was given would be followed forever.
                throw new IllegalStateException("the server answered the page after cursor " + after
                        + " with the same cursor");
            }
            items = page.items().iterator();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return items.next();
    }
}
