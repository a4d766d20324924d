package io.tasker.server.cli;

import io.tasker.client.TaskerClientOptions;
import io.tasker.core.config.Durations;
import io.tasker.server.api.ApiServer;
import io.tasker.server.node.JavaHandlers;
import io.tasker.server.node.RubyHandlers;
import io.tasker.server.node.TaskerNode;
import io.tasker.server.node.TemplateRegistration;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The lines {@code dev}, {@code server} and {@code worker} print once running: what runs where, and what to try. */
final class ReadyBanner {
    /** Where the text after a label starts: two spaces after {@code templates}, one after {@code ruby worker}. */
    private static final int TEXT_COLUMN = "  templates   ".length();
    /** Where a list of callables wraps onto another line. */
    private static final int WIDTH = 110;

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
        node.api().ifPresent(api -> {
            line("REST API", api.url() + "  (try GET " + api.url() + "/health)");
            line("access", api.access());
        });
        node.migration().ifPresent(m -> line("schema", SchemaMigration.of(m).status()));
        if (!node.workerNamespaces().isEmpty()) {
            line("worker", "serving " + String.join(", ", node.workerNamespaces()) + " with "
                    + describe(node.javaHandlers().map(JavaHandlers.Loaded::given).orElse(List.of())));
            runs(node.workerCallables());
            node.workerConfig().ifPresent(config -> continuation(config.maxConcurrentSteps() + " handler slots, "
                    + config.deploymentMode().name().toLowerCase(Locale.ROOT) + " mode, lease "
                    + Durations.format(config.lease())));
        }
        node.rubyHandlers().ifPresent(ruby -> {
            if (node.rubyWorkerNamespaces().isEmpty()) {
                line("ruby worker", "not started: no registered template has a step " + describe(ruby.handlers()) + " run");
            } else {
                line("ruby worker", "serving " + String.join(", ", node.rubyWorkerNamespaces()) + " with "
                        + describe(ruby.handlers()));
                runs(node.rubyWorkerCallables());
            }
        });
        String label = "templates";
        for (TemplateRegistration registration : node.templates()) {
            line(label, TemplateSet.describe(registration.template()) + ": "
                    + registration.result().name().toLowerCase(Locale.ROOT));
            label = "";
        }
    }

    /** The database and the most connections the node's pool opens. */
    void database(TaskerNode node) {
        line("database", node.database().url() + "  (pool of " + node.database().poolSize() + " connections)");
    }

    /** "the Java handlers on the classpath and those in JAR": where the Java handlers came from. */
    private static String describe(List<JavaHandlers.Source> given) {
        String classpath = "the Java handlers on the classpath";
        return given.isEmpty() ? classpath : classpath + " and those in " + String.join(", ",
                given.stream().map(source -> Path.of(source.location()).toAbsolutePath().toString()).toList());
    }

    /** The callables a worker runs, under its line, wrapped. */
    private void runs(Set<String> callables) {
        if (callables.isEmpty()) {
            continuation("runs no callable: no handler was found");
            return;
        }
        StringBuilder text = new StringBuilder("runs");
        String separator = " ";
        for (String callable : callables) {
            if (text.length() + separator.length() + callable.length() > WIDTH - TEXT_COLUMN) {
                continuation(text.append(separator.strip()).toString());
                text.setLength(0);
                text.append("     ");
                separator = "";
            }
            text.append(separator).append(callable);
            separator = ", ";
        }
        continuation(text.toString());
    }

    /**
     * One {@code warning:} line on {@code err} for each step of a served namespace that no handler
     * of this process runs, so a typo in a template's callable is seen at start, not as a task
     * that waits forever.
     */
    static void warnUnserved(PrintWriter err, TaskerNode node) {
        node.unservedSteps().forEach(step -> err.println("warning: " + step.warning()));
        err.flush();
    }

    /** "the Ruby example handlers and those in DIR": where the Ruby handlers came from. */
    private static String describe(RubyHandlers handlers) {
        List<String> parts = new ArrayList<>();
        if (handlers.examples()) {
            parts.add("the Ruby example handlers");
        }
        if (!handlers.directories().isEmpty()) {
            parts.add((handlers.examples() ? "those in " : "the Ruby handlers in ")
                    + String.join(", ", handlers.directories().stream().map(Path::toAbsolutePath).map(Path::toString).toList()));
        }
        return String.join(" and ", parts);
    }

    /**
     * Commands to paste into another terminal: the shortest way to see a task run end to end, with
     * Java handlers and, when the Ruby examples run here, with Ruby ones. {@code program} is how
     * the user runs Tasker.
     */
    void tryIt(TaskerNode node, String program) {
        ApiServer api = node.api().orElse(null);
        if (api == null) {
            return;
        }
        String url = api.url().equals(TaskerClientOptions.DEFAULT_URL) ? "" : " --url " + api.url();
        out.println("Try it in another terminal:");
        for (String namespace : List.of("examples", "examples_ruby")) {
            if (node.workerNamespaces().contains(namespace) || node.rubyWorkerNamespaces().contains(namespace)) {
                out.println("  " + program + " task create " + namespace + "/linear_workflow --context '{\"even_number\": 6}' --wait"
                        + url);
            }
        }
    }
}
