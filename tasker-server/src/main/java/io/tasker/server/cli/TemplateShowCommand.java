package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.Template;
import io.tasker.client.TemplateStep;
import io.tasker.client.TaskerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code tasker template show}: a registered template, its steps and what they depend on. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a registered template: its description and each step with what it depends on, its "
                + "handler, retries and timeout.")
final class TemplateShowCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = TemplateRef.LABEL,
            description = "The template, e.g. examples/diamond_workflow; the newest version unless @VERSION is given.")
    String template;

    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        TemplateRef ref = TemplateRef.parse(template, spec);
        Template found = client.getTemplate(ref.namespace(), ref.name(), ref.version());
        if (output.isJson()) {
            JsonOutput.print(out(), found.json());
            return 0;
        }
        PrintWriter out = out();
        out.println("template " + found.key());
        if (found.description() != null) {
            out.println("  " + found.description().strip());
        }
        // A TYPE column only for templates that have a step of another type than standard.
        boolean typed = found.steps().stream().anyMatch(step -> TemplateGraphCommand.typeOf(step) != null);
        Table steps = typed ? Table.withHeader("STEP", "TYPE", "DEPENDS ON", "HANDLER", "RETRY", "TIMEOUT")
                : Table.withHeader("STEP", "DEPENDS ON", "HANDLER", "RETRY", "TIMEOUT");
        for (TemplateStep step : found.steps()) {
            List<Object> cells = new ArrayList<>();
            cells.add(step.name());
            if (typed) {
                cells.add(TemplateGraphCommand.typeOf(step));
            }
            cells.addAll(Arrays.asList(step.dependsOn().isEmpty() ? null : String.join(", ", step.dependsOn()),
                    step.handler(), retry(step.retry()),
                    step.timeoutSeconds() == null ? null : step.timeoutSeconds() + " s"));
            steps.row(cells.toArray());
        }
        steps.print(out);
        return 0;
    }

    /** {@code 3 attempts, backoff 1000 ms}, or {@code not retried}. */
    private static String retry(JsonNode retry) {
        if (retry == null) {
            return null;
        }
        if (!retry.path("retryable").asBoolean(true)) {
            return "not retried";
        }
        return retry.path("max_attempts").asText("?") + " attempts"
                + (retry.hasNonNull("backoff_base_ms") ? ", backoff " + retry.get("backoff_base_ms").asText() + " ms" : "");
    }
}
