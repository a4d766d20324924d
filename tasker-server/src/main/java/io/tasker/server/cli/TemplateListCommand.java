package io.tasker.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.client.Template;
import io.tasker.client.TaskerClient;
import io.tasker.core.internal.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code tasker template list}: the templates tasks can be created from. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List every registered template version of a running Tasker, with its steps and description.")
final class TemplateListCommand extends ApiCommand {
    @Mixin
    OutputOptions output;

    @Override
    int run(TaskerClient client) {
        List<Template> templates = client.listTemplates();
        if (output.isJson()) {
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.putArray("templates").addAll(templates.stream().map(Template::json).toList());
            JsonOutput.print(out(), json);
            return 0;
        }
        Table table = Table.withHeader("TEMPLATE", "VERSION", "STEPS", "REGISTERED", "DESCRIPTION");
        templates.forEach(template -> table.row(template.namespace() + "/" + template.name(), template.version(),
                template.steps().size(), TimeText.dateTime(template.registeredAt()),
                Table.shorten(template.description(), 60)));
        if (table.isEmpty()) {
            err().println("no templates registered");
            err().flush();
        } else {
            table.print(out());
        }
        return 0;
    }
}
