package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateRegistry;

/** {@code GET /v1/templates}: the templates tasks can be created from, every registered version. */
final class TemplateEndpoint {
    private final TemplateRegistry registry;

    TemplateEndpoint(TemplateRegistry registry) {
        this.registry = registry;
    }

    void list(Context ctx) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        var array = json.putArray("templates");
        registry.list().forEach(template -> array.add(ApiJson.template(template)));
        ctx.json(json);
    }
}
