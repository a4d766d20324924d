package io.tasker.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The web UI: recent tasks at {@code /ui}, and one task's steps as a DAG with its history at
 * {@code /ui/tasks/{uuid}}. The pages are fixed files from the classpath that draw themselves in
 * the browser from the REST API's JSON, so the UI shows exactly what the API answers and has no
 * server-side logic to drift from it. Nothing is loaded from another host: it works offline, and
 * the content security policy says so to the browser.
 *
 * <p>An unknown or malformed task id still gets the task page; its script shows the API's answer.
 */
public final class WebUi {
    private static final String ROOT = "web/";
    private static final List<String> ASSETS = List.of("tasker.css", "ui.js", "dag.js", "tasks.js", "task.js");
    private static final String TASKS_PAGE = "tasks.html";
    private static final String TASK_PAGE = "task.html";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** One file as served; the ETag lets a browser revalidate it without downloading it again. */
    private record File(String contentType, byte[] content, String etag) {}

    private final Map<String, File> files;

    private WebUi(Map<String, File> files) {
        this.files = files;
    }

    /** Adds the UI's routes; {@code /} leads to the task list. */
    public static void register(Javalin app) {
        WebUi ui = load();
        app.get("/", ctx -> ctx.redirect("/ui"));
        app.get("/ui", ctx -> ui.send(ctx, TASKS_PAGE));
        app.get("/ui/tasks/{uuid}", ctx -> ui.send(ctx, TASK_PAGE));
        app.get("/ui/assets/{file}", ctx -> {
            String name = ctx.pathParam("file");
            if (!ASSETS.contains(name)) {
                throw new NotFoundResponse();
            }
            ui.send(ctx, name);
        });
    }

    /** Reads every file once, so a broken build fails at start rather than on a user's first visit. */
    private static WebUi load() {
        return new WebUi(Stream.concat(ASSETS.stream(), Stream.of(TASKS_PAGE, TASK_PAGE))
                .collect(Collectors.toUnmodifiableMap(Function.identity(), WebUi::read)));
    }

    private static File read(String name) {
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the web UI file " + ROOT + name + " is missing from the classpath");
            }
            byte[] content = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return new File(CONTENT_TYPES.get(extension), content, etag(content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web UI file " + ROOT + name, e);
        }
    }

    private static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void send(Context ctx, String name) {
        File file = files.get(name);
        ctx.header("Cache-Control", "no-cache")
                .header("ETag", file.etag())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (file.etag().equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType(file.contentType()).result(file.content());
    }
}
