package io.tasker.server.cli;

import picocli.CommandLine.Option;

/** {@code --limit}, {@code --cursor} and {@code --all} of the commands that list a paged API list. */
final class PagingOptions {
    @Option(names = "--limit", paramLabel = "N",
            description = "How many a page shows, 1 to 500 (default: the server's, 50).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR",
            description = "Show the page that starts here: the cursor the page before printed.")
    String cursor;

    @Option(names = "--all", description = "Follow the cursors and show every page.")
    boolean all;
}
