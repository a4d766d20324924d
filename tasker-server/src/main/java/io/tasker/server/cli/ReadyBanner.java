package io.tasker.server.cli;

import io.tasker.server.api.ApiServer;
import io.tasker.server.client.TaskerClient;
import io.tasker.server.node.TaskerNode;
import io.tasker.server.node.TemplateRegistration;

import java.io.PrintWriter;
import java.util.Locale;

/** The lines {@code dev}, {@code server} and {@code worker} print once running: what runs where, and what to try. */
final class ReadyBanner {
    /** Where the text after a label starts: after the longest label, {@code templates}. */
    private static final int TEXT_COLUMN = "  templates   ".length();

    private final PrintWriter out;

    ReadyBanner(PrintWriter out) {
        this.out = out;
    }

    void line(String label, String text) {
        String prefix = "  " + label;
        out.println(prefix + " ".repeat(Math.max(1, TEXT_COLUMN - prefix.length())) + text);
    }

    void continuation(String text) {
        out.println(" ".repeat(TEXT_COLUMN) + text);
    }

    void parts(TaskerNode node) {
        node.api().ifPresent(api -> line("REST API", api.url() + "  (try GET " + api.url() + "/health)"));
        node.migration().ifPresent(m -> line("schema", SchemaMigration.of(m).status()));
        if (!node.workerNamespaces().isEmpty()) {
            line("worker", "serving " + String.join(", ", node.workerNamespaces()) + " with the Java handlers on the classpath");
        }
        String label = "templates";
        for (TemplateRegistration registration : node.templates()) {
            line(label, TemplateSet.describe(registration.template()) + ": "
                    + registration.result().name().toLowerCase(Locale.ROOT));
            label = "";
        }
    }

    /** A command to paste into another terminal: the shortest way to see a task run end to end. */
    void tryIt(ApiServer api) {
        String url = api.url().equals(TaskerClient.DEFAULT_URL) ? "" : " --url " + api.url();
        out.println("Try it in another terminal:");
        out.println("  bin/tasker task create examples/linear_workflow --context '{\"even_number\": 6}' --wait" + url);
    }
}
