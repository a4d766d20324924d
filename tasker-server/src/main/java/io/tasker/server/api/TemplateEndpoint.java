package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RegisteredTemplate;
import io.tasker.core.template.SemVer;
import io.tasker.core.template.TemplateRegistry;

import java.util.Optional;
import java.util.Set;

/** {@code GET /v1/templates}: the templates tasks can be created from, every registered version. */
final class TemplateEndpoint {
    private final TemplateRegistry registry;

    TemplateEndpoint(TemplateRegistry registry) {
        this.registry = registry;
    }

    /** {@code GET /v1/templates/{namespace}/{name}?version=}: the newest version, or the one given. */
    void get(Context ctx) {
        QueryParams params = QueryParams.of(ctx, Set.of("version"));
        String namespace = ctx.pathParam("namespace");
        String name = ctx.pathParam("name");
        String versionText = params.text("version");
        Optional<RegisteredTemplate> template;
        if (versionText == null) {
            template = registry.newest(namespace, name);
        } else {
            SemVer version;
            try {
                version = SemVer.parse(versionText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("version: " + e.getMessage());
            }
            template = registry.find(namespace, name, version);
        }
        ctx.json(ApiJson.template(template.orElseThrow(() -> ApiError.notFound("no template " + namespace + "/"
                + name + (versionText == null ? "" : "@" + versionText) + "; GET /v1/templates lists them"))));
    }

    void list(Context ctx) {
        QueryParams.of(ctx, Set.of());
        ObjectNode json = Json.MAPPER.createObjectNode();
        var array = json.putArray("templates");
        registry.list().forEach(template -> array.add(ApiJson.template(template)));
        ctx.json(json);
    }
}
