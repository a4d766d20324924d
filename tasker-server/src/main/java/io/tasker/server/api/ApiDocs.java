package io.tasker.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /docs}: a page that shows {@code /openapi.json} readably, every operation with its
 * scope, parameters, body and answers. Its own small script draws it in the browser; nothing is
 * loaded from another host, and its content security policy tells the browser so.
 */
final class ApiDocs {
    static final String PATH = "/docs";
    private static final String PAGE = "docs.html";
    private static final List<String> FILES = List.of(PAGE, "docs.js", "docs.css");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> contents;

    private ApiDocs(Map<String, byte[]> contents) {
        this.contents = contents;
    }

    /** Serves the page at {@code /docs} and its script and style beside it; a missing file fails here. */
    static void register(Javalin app) {
        ApiDocs docs = new ApiDocs(FILES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                ApiDocs::read)));
        app.get(PATH, ctx -> docs.send(ctx, PAGE));
        app.get(PATH + "/{file}", ctx -> docs.send(ctx, ctx.pathParam("file")));
    }

    private static byte[] read(String name) {
        String resource = "apidocs/" + name;
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private void send(Context ctx, String name) {
        byte[] content = contents.get(name);
        if (content == null) {
            throw new NotFoundResponse();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        ctx.header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .contentType(type + "; charset=utf-8")
                .result(content);
    }
}
