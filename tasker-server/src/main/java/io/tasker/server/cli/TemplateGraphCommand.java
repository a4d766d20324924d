package io.tasker.server.cli;

import io.tasker.client.Template;
import io.tasker.client.TemplateStep;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tasker template graph}: a template's DAG as a Mermaid flowchart; a step that is not a
 * standard one says its type after its name.
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Print a template's steps as a Mermaid flowchart (flowchart LR): a box a step, an arrow from "
                + "each step to the steps that wait for it.",
                "Paste it into a Markdown ```mermaid block, or render it with mermaid-cli."})
final class TemplateGraphCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = TemplateRef.LABEL,
            description = "The template, e.g. examples/diamond_workflow; the newest version unless @VERSION is given.")
    String template;

    @Override
    int run(TaskerClient client) {
        TemplateRef ref = TemplateRef.parse(template, spec);
        mermaid(client.getTemplate(ref.namespace(), ref.name(), ref.version())).forEach(out()::println);
        out().flush();
        return 0;
    }

    /**
     * The flowchart. Nodes get ids of their own ({@code s0}, {@code s1}, ...) and the step names
     * become quoted labels, because a name such as {@code end} is a Mermaid keyword and a name may
     * hold characters an id cannot.
     */
    static List<String> mermaid(Template template) {
        List<String> lines = new ArrayList<>(List.of("flowchart LR", "    %% " + template.key()));
        Map<String, String> ids = new HashMap<>();
        for (TemplateStep step : template.steps()) {
            String id = "s" + ids.size();
            ids.put(step.name(), id);
            String type = typeOf(step);
            lines.add("    " + id + "[\"" + label(step.name() + (type == null ? "" : " (" + type + ")")) + "\"]");
        }
        for (TemplateStep step : template.steps()) {
            for (String parent : step.dependsOn()) {
                lines.add("    " + ids.get(parent) + " --> " + ids.get(step.name()));
            }
        }
        return lines;
    }

    /**
     * The step's type when it is not a standard step (decision, deferred_convergence, batchable,
     * batch_worker, or whatever the server names), else null.
     */
    static String typeOf(TemplateStep step) {
        return step.type() == null || step.type().equals("standard") ? null : step.type();
    }

    /** Mermaid has no backslash escapes: a quote inside a quoted label is the entity {@code #quot;}. */
    private static String label(String name) {
        return name.replace("\"", "#quot;");
    }
}
