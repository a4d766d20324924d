package io.tasker.server.cli;

import picocli.CommandLine.Option;

/** {@code --output table|json} of the commands that list or show something. */
final class OutputOptions {
    enum Format { TABLE, JSON }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "TABLE",
            description = "table (default): aligned text to read; json: the API's JSON, to pipe into jq.")
    Format format;

    @Option(names = "--json", description = "The same as --output json.")
    boolean json;

    boolean isJson() {
        return json || format == Format.JSON;
    }
}
