package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.tasker.core.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenAPI 3.1 document of the REST API, written by hand in {@code api/openapi.yaml} and
 * served as JSON at {@code /openapi.json}. It is also where the scope of each operation is written
 * (its security requirement, {@code apiToken: [write]}; none for the open ones): the access check
 * reads it from here, so what the document tells clients and what the server enforces are one
 * thing. A test holds the document against the routes the server really has.
 *
 * <p>Pages for people (the web UI, the document's viewer) are not in it and need no token.
 */
final class OpenApi {
    static final String PATH = "/openapi.json";
    static final String SECURITY_SCHEME = "apiToken";
    private static final String RESOURCE = "api/openapi.yaml";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    private final JsonNode document;
    private final byte[] json;
    /** {@code "POST /v1/tasks"} to the scope it needs; empty for an open operation. */
    private final Map<String, Optional<Scope>> scopes;

    private OpenApi(JsonNode document) {
        this.document = document;
        this.json = Json.write(document).getBytes(StandardCharsets.UTF_8);
        this.scopes = scopes(document);
    }

    /** Reads the document from the classpath; a broken one fails the server's start, not a request. */
    static OpenApi load() {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the classpath");
            }
            return new OpenApi(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }

    JsonNode document() {
        return document;
    }

    void serve(Context ctx) {
        ctx.contentType("application/json").result(json);
    }

    /**
     * The scope a route needs, empty when it is open. {@code HEAD} needs what {@code GET} does. A
     * route the document does not know (one added without documenting it, which the document's
     * test reports) needs {@code read} to read and {@code admin} for anything else.
     */
    Optional<Scope> requiredScope(HandlerType method, String path) {
        if (isPage(path)) {
            return Optional.empty();
        }
        HandlerType documented = method == HandlerType.HEAD ? HandlerType.GET : method;
        Optional<Scope> scope = scopes.get(documented.name() + " " + path);
        if (scope != null) {
            return scope;
        }
        return Optional.of(documented == HandlerType.GET ? Scope.READ : Scope.ADMIN);
    }

    /** A page for people: the web UI ({@code /}, {@code /ui...}) and the document's viewer. */
    static boolean isPage(String path) {
        return path.equals("/") || path.equals("/ui") || path.startsWith("/ui/") || path.equals(ApiDocs.PATH)
                || path.startsWith(ApiDocs.PATH + "/");
    }

    private static Map<String, Optional<Scope>> scopes(JsonNode document) {
        Map<String, Optional<Scope>> scopes = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> operation = ops.next();
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                JsonNode security = operation.getValue().has("security") ? operation.getValue().get("security")
                        : document.path("security");
                String route = operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                scopes.put(route, scope(route, security));
            }
        }
        return Map.copyOf(scopes);
    }

    /** {@code []}: open; {@code [{apiToken: [SCOPE]}]}: that scope. */
    private static Optional<Scope> scope(String route, JsonNode security) {
        if (security.isArray() && security.isEmpty()) {
            return Optional.empty();
        }
        JsonNode scopes = security.path(0).path(SECURITY_SCHEME);
        if (security.size() != 1 || scopes.size() != 1 || !scopes.get(0).isTextual()) {
            throw new IllegalStateException("the OpenAPI document's security for " + route + " must be [] or "
                    + "[{" + SECURITY_SCHEME + ": [SCOPE]}], got " + security);
        }
        return Optional.of(Scope.parse(scopes.get(0).asText()));
    }
}
