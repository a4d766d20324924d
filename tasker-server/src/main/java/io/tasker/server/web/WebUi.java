package io.tasker.server.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The web UI: tasks filtered and paged at {@code /ui}, one task at {@code /ui/tasks/{uuid}} (its
 * steps as a DAG and a timeline, its history, the operator's actions), and the templates at
 * {@code /ui/templates} and {@code /ui/templates/{namespace}/{name}}. The pages are fixed files from
 * the classpath that draw themselves in the browser from the REST API's JSON, so the UI shows
 * exactly what the API answers and has no server-side logic to drift from it. They are open to
 * all: the data comes from the API, which asks for a token when it is protected. Nothing is loaded
 * from another host: it works offline, and the content security policy says so to the browser.
 *
 * <p>Each page is its own main content put into one layout (head, scripts, navigation), once at
 * start. An unknown or malformed task id or template name still gets its page; the page's script
 * shows the API's answer.
 */
public final class WebUi {
    private static final String ROOT = "web/";
    private static final String LAYOUT = "layout.html";
    /** Every page loads these first: the shared helpers, then the API calls that use them. */
    private static final List<String> COMMON_SCRIPTS = List.of("ui.js", "api.js");
    private static final List<String> ASSETS = List.of("tasker.css", "ui.js", "api.js", "batches.js", "dag.js",
            "timeline.js", "actions.js", "taskquery.js", "tasks.js", "task.js", "templates.js", "template.js");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * A page: the file with its main content, its title until its script knows better, the
     * navigation entry it belongs to, and its own scripts after the common ones.
     */
    private record Page(String file, String title, String section, List<String> scripts) {}

    private static final List<Page> PAGES = List.of(
            new Page("tasks.html", "Tasks", "tasks", List.of("taskquery.js", "tasks.js")),
            new Page("task.html", "Task", "tasks",
                    List.of("batches.js", "dag.js", "timeline.js", "actions.js", "task.js")),
            new Page("templates.html", "Templates", "templates", List.of("templates.js")),
            new Page("template.html", "Template", "templates", List.of("dag.js", "template.js")));

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
        app.get("/ui", ctx -> ui.send(ctx, "tasks.html"));
        app.get("/ui/tasks/{uuid}", ctx -> ui.send(ctx, "task.html"));
        app.get("/ui/templates", ctx -> ui.send(ctx, "templates.html"));
        app.get("/ui/templates/{namespace}/{name}", ctx -> ui.send(ctx, "template.html"));
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
        Map<String, File> files = new HashMap<>();
        ASSETS.forEach(name -> files.put(name, file(name, read(name))));
        String layout = new String(read(LAYOUT), StandardCharsets.UTF_8);
        for (Page page : PAGES) {
            files.put(page.file(), file(page.file(), assemble(layout, page).getBytes(StandardCharsets.UTF_8)));
        }
        return new WebUi(Map.copyOf(files));
    }

    /** The layout with the page's title, scripts and content, and its navigation entry marked current. */
    private static String assemble(String layout, Page page) {
        String scripts = Stream.concat(COMMON_SCRIPTS.stream(), page.scripts().stream())
                .map(script -> "  <script src=\"/ui/assets/" + script + "\" defer></script>")
                .collect(Collectors.joining("\n"));
        String section = "data-section=\"" + page.section() + "\"";
        String html = layout.replace("{{title}}", page.title())
                .replace("{{scripts}}", scripts)
                .replace(section, section + " aria-current=\"page\"")
                .replace("{{main}}", new String(read(page.file()), StandardCharsets.UTF_8).stripTrailing());
        if (html.contains("{{")) {
            throw new IllegalStateException("the web UI page " + page.file() + " has a placeholder the layout "
                    + "does not fill: " + html.substring(html.indexOf("{{"), Math.min(html.length(),
                    html.indexOf("{{") + 40)));
        }
        return html;
    }

    private static byte[] read(String name) {
        try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the web UI file " + ROOT + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web UI file " + ROOT + name, e);
        }
    }

    private static File file(String name, byte[] content) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return new File(CONTENT_TYPES.get(extension), content, etag(content));
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
