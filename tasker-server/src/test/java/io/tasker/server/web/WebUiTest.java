package io.tasker.server.web;

import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The web UI's pages and files over real HTTP, and the API answers its scripts rely on. */
class WebUiTest {
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"(/ui/assets/[^\"]+)\"");

    private static RunningTasker tasker;
    private static Http http;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start();
        http = new Http(tasker.url());
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @Test
    void theTaskListIsAnHtmlPageWhoseScriptsAndStylesAreServed() {
        Http.Response page = http.get("/ui");

        assertThat(page.status()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body()).startsWith("<!doctype html>").contains("<title>Tasks - Tasker</title>");
        assertThat(references(page.body())).containsExactly("/ui/assets/tasker.css", "/ui/assets/ui.js",
                "/ui/assets/api.js", "/ui/assets/taskquery.js", "/ui/assets/tasks.js");
        assertThat(page.body()).contains("<a href=\"/ui\" data-section=\"tasks\" aria-current=\"page\">")
                .contains("id=\"filters\"").doesNotContain("{{");
        assertServed(references(page.body()));
    }

    @Test
    void theTemplatePagesAreServedAndTheApiHasWhatTheyDraw() {
        Http.Response list = http.get("/ui/templates");
        Http.Response one = http.get("/ui/templates/examples/order_fulfillment");

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).contains("<title>Templates - Tasker</title>")
                .contains("data-section=\"templates\" aria-current=\"page\"");
        assertThat(references(list.body())).containsExactly("/ui/assets/tasker.css", "/ui/assets/ui.js",
                "/ui/assets/api.js", "/ui/assets/templates.js");
        assertThat(one.status()).isEqualTo(200);
        assertThat(references(one.body())).containsExactly("/ui/assets/tasker.css", "/ui/assets/ui.js",
                "/ui/assets/api.js", "/ui/assets/dag.js", "/ui/assets/template.js");
        assertServed(references(one.body()));
        // What template.js reads: the steps with their dependencies, handlers and retries.
        var template = http.get("/v1/templates/examples/order_fulfillment").json();
        assertThat(template.get("steps")).hasSize(4);
        assertThat(template.get("steps").get(3).get("depends_on")).hasSize(2);
        assertThat(template.get("steps").get(2).at("/retry/max_attempts").asInt()).isEqualTo(5);
    }

    @Test
    void aTaskPageIsServedForAnyIdAndDrawsFromTheApi() {
        String id = new Tasks(http).create("linear_workflow", "{\"even_number\": 2}");

        Http.Response page = http.get("/ui/tasks/" + id);

        assertThat(page.status()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(references(page.body())).containsExactly("/ui/assets/tasker.css", "/ui/assets/ui.js",
                "/ui/assets/api.js", "/ui/assets/batches.js", "/ui/assets/dag.js", "/ui/assets/timeline.js",
                "/ui/assets/actions.js", "/ui/assets/task.js");
        assertServed(references(page.body()));
        // What task.js reads: the steps with their dependencies, states and attempts, and the history.
        var task = new Tasks(http).awaitFinished(id).json();
        assertThat(Tasks.step(task, "step_b").get("depends_on").get(0).asText()).isEqualTo("step_a");
        assertThat(Tasks.step(task, "step_b").has("max_attempts")).isTrue();
        assertThat(http.get("/v1/tasks/" + id + "/transitions").json().get("transitions")).isNotEmpty();
    }

    @Test
    void anUnknownTaskStillGetsThePageAndTheApiSaysThereIsNone() {
        String unknown = UUID.randomUUID().toString();

        assertThat(http.get("/ui/tasks/" + unknown).status()).isEqualTo(200);
        assertThat(http.get("/ui/tasks/not-a-uuid").status()).isEqualTo(200);

        // task.js shows these messages; a 404 or 400 also stops its refreshing.
        Http.Response missing = http.get("/v1/tasks/" + unknown);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).startsWith("no task " + unknown);
        Http.Response malformed = http.get("/v1/tasks/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("not-a-uuid");
    }

    @Test
    void pagesLoadNothingFromOtherHosts() {
        Set<String> assets = new TreeSet<>();
        for (String path : List.of("/ui", "/ui/tasks/" + UUID.randomUUID(), "/ui/templates",
                "/ui/templates/examples/linear_workflow")) {
            Http.Response page = http.get(path);
            assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'");
            assertThat(page.body()).doesNotContainPattern("(?:src|href)=\"(?:https?:)?//");
            assets.addAll(references(page.body()));
        }
        assertThat(assets).hasSize(12);
        for (String asset : assets) {
            // The SVG namespace is a name, not a place anything is loaded from.
            String body = http.get(asset).body().replace("\"http://www.w3.org/2000/svg\"", "");
            assertThat(body).as(asset).doesNotContain("http://").doesNotContain("https://").doesNotContain("@import");
        }
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        String etag = http.get("/ui/assets/dag.js").header("ETag");
        assertThat(etag).isNotBlank();

        HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(tasker.url() + "/ui/assets/dag.js")).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void anUnknownFileIsA404AndTheRootLeadsToTheUi() {
        assertThat(http.get("/ui/assets/secrets.txt").status()).isEqualTo(404);
        assertThat(http.get("/ui/assets/..%2Flogback.xml").status()).isEqualTo(404);

        Http.Response root = http.get("/");
        assertThat(root.status()).isEqualTo(302);
        assertThat(root.header("Location")).isEqualTo("/ui");
    }

    /** The Content-Type without spaces, as servers differ in where they put them. */
    private static String contentType(Http.Response response) {
        return response.header("Content-Type").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static List<String> references(String html) {
        Matcher matcher = REFERENCE.matcher(html);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static void assertServed(List<String> assets) {
        for (String asset : assets) {
            Http.Response file = http.get(asset);
            assertThat(file.status()).as(asset).isEqualTo(200);
            assertThat(file.body()).as(asset).isNotBlank();
            assertThat(contentType(file)).as(asset).isEqualTo(asset.endsWith(".css")
                    ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8");
            assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }
}
