package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.ListQuery;
import io.tasker.client.Page;
import io.tasker.client.TaskerClient;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A command that shows a paged API list: one page (where {@code --cursor} says), or with
 * {@code --all} every page, as a table or as the API's JSON. When more pages follow, the table
 * ends with the command line for the next one, on stderr so the table itself can be piped.
 */
abstract class ListCommand<T, Q extends ListQuery<Q>> extends ApiCommand {
    @Mixin
    PagingOptions paging;

    @Mixin
    OutputOptions output;

    /** Reads one page of the list. */
    interface PageReader<T, Q> {
        Page<T> page(TaskerClient client, Q query);
    }

    private final String items;
    private final PageReader<T, Q> reader;
    private final Function<T, JsonNode> json;

    /**
     * @param items  the JSON field of the items, e.g. {@code tasks}, and what the messages call them
     * @param reader the client's method for a page
     * @param json   an item as the API sent it
     */
    ListCommand(String items, PageReader<T, Q> reader, Function<T, JsonNode> json) {
        this.items = items;
        this.reader = reader;
        this.json = json;
    }

    /** The filters the command's options ask for. */
    abstract Q query();

    abstract Table table(List<T> items);

    /** What the items are called in messages. */
    String noun() {
        return items;
    }

    @Override
    final int run(TaskerClient client) {
        Q query = query();
        if (paging.limit != null) {
            try {
                query = query.limit(paging.limit);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit: " + e.getMessage());
            }
        }
        Page<T> page = reader.page(client, paging.cursor == null ? query : query.cursor(paging.cursor));
        List<T> shown = new ArrayList<>(page.items());
        while (paging.all && page.hasNext()) {
            page = reader.page(client, query.cursor(page.nextCursor()));
            shown.addAll(page.items());
        }
        if (output.isJson()) {
            JsonOutput.printList(out(), items, shown.stream().map(json).toList(), page.nextCursor());
            return 0;
        }
        if (shown.isEmpty()) {
            err().println("no " + noun() + (paging.cursor == null ? "" : " after this cursor"));
        } else {
            table(shown).print(out());
        }
        if (page.hasNext()) {
            err().println("more " + noun() + " follow: add --cursor " + page.nextCursor() + " for the next page, "
                    + "or --all for every page");
        }
        err().flush();
        return 0;
    }
}
