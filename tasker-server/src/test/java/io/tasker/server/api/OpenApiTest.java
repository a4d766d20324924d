package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /openapi.json} against the server that serves it: it describes exactly the routes the
 * router has (so a route added without documenting it, or documented and gone, fails here), and
 * it is a well-formed OpenAPI 3.1 document. {@code /docs} shows it with nothing from elsewhere.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]|[1-5]XX|default");

    private static RunningTasker tasker;
    private static Http http;
    private static JsonNode document;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start();
        http = new Http(tasker.url());
        Http.Response served = http.get("/openapi.json");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("application/json");
        document = served.json();
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return node::fields;
    }

    /** The operations the document has, as {@code GET /v1/tasks}. */
    private static Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : fields(document.path("paths"))) {
            for (Map.Entry<String, JsonNode> operation : fields(path.getValue())) {
                if (METHODS.contains(operation.getKey())) {
                    operations.add(operation.getKey().toUpperCase() + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    /** The routes the server has, but for the pages and for HEAD, which every GET answers. */
    private static Set<String> served() {
        Set<String> routes = new TreeSet<>();
        List<String> all = tasker.node().api().orElseThrow().routes();
        for (String route : all) {
            String path = route.substring(route.indexOf(' ') + 1);
            if (!OpenApi.isPage(path) && !(route.startsWith("HEAD ") && all.contains("GET " + path))) {
                routes.add(route);
            }
        }
        return routes;
    }

    @Test
    void theDocumentDescribesExactlyTheRoutesTheServerHas() {
        Set<String> served = served();
        Set<String> documented = documented();
        assertThat(served).as("the routes served").contains("POST /v1/tasks", "GET /health/live", "GET /openapi.json");

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> gone = new TreeSet<>(documented);
        gone.removeAll(served);
        assertThat(undocumented).as("routes the server has that api/openapi.yaml does not describe").isEmpty();
        assertThat(gone).as("operations api/openapi.yaml describes that the server does not have").isEmpty();
    }

    @Test
    void itIsAWellFormedOpenApi31Document() {
        List<String> problems = new ArrayList<>();
        if (!document.path("openapi").asText().matches("3\\.1\\.\\d+")) {
            problems.add("openapi must be 3.1.x, is " + document.path("openapi"));
        }
        for (String field : List.of("title", "version")) {
            if (!document.path("info").path(field).isTextual()) {
                problems.add("info." + field + " is missing");
            }
        }
        Set<String> operationIds = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : fields(document.path("paths"))) {
            checkPath(path.getKey(), path.getValue(), operationIds, problems);
        }
        checkReferences(document, "$", problems);
        assertThat(problems).isEmpty();
        assertThat(operationIds).hasSizeGreaterThanOrEqualTo(documented().size());
    }

    private static void checkPath(String path, JsonNode item, Set<String> operationIds, List<String> problems) {
        if (!path.startsWith("/")) {
            problems.add(path + ": a path must start with /");
        }
        List<String> templated = new ArrayList<>();
        for (Matcher m = PATH_PARAMETER.matcher(path); m.find(); ) {
            templated.add(m.group(1));
        }
        boolean any = false;
        for (Map.Entry<String, JsonNode> entry : fields(item)) {
            if (!METHODS.contains(entry.getKey())) {
                if (!Set.of("parameters", "summary", "description", "servers").contains(entry.getKey())) {
                    problems.add(path + ": unknown field " + entry.getKey());
                }
                continue;
            }
            any = true;
            String where = entry.getKey().toUpperCase() + " " + path;
            JsonNode operation = entry.getValue();
            if (!operationIds.add(operation.path("operationId").asText(where))) {
                problems.add(where + ": operationId " + operation.path("operationId") + " is used twice");
            }
            JsonNode responses = operation.path("responses");
            if (!responses.isObject() || responses.isEmpty()) {
                problems.add(where + ": no responses");
            }
            boolean success = false;
            for (Map.Entry<String, JsonNode> response : fields(responses)) {
                if (!STATUS.matcher(response.getKey()).matches()) {
                    problems.add(where + ": " + response.getKey() + " is not a status");
                }
                success |= response.getKey().startsWith("2");
                JsonNode resolved = resolve(response.getValue());
                if (resolved == null || !resolved.path("description").isTextual()) {
                    problems.add(where + " " + response.getKey() + ": a response needs a description");
                }
            }
            if (!success) {
                problems.add(where + ": no 2xx response");
            }
            Set<String> declared = new TreeSet<>();
            for (JsonNode parameters : List.of(item.path("parameters"), operation.path("parameters"))) {
                for (JsonNode parameter : parameters) {
                    JsonNode resolved = resolve(parameter);
                    if (resolved == null || !resolved.path("name").isTextual()
                            || !Set.of("path", "query", "header", "cookie").contains(resolved.path("in").asText())) {
                        problems.add(where + ": a parameter without name or in: " + parameter);
                        continue;
                    }
                    if (resolved.path("in").asText().equals("path")) {
                        declared.add(resolved.path("name").asText());
                        if (!resolved.path("required").asBoolean()) {
                            problems.add(where + ": path parameter " + resolved.path("name") + " must be required");
                        }
                    }
                }
            }
            if (!declared.equals(new TreeSet<>(templated))) {
                problems.add(where + ": path parameters declared " + declared + ", in the path " + templated);
            }
            for (JsonNode requirement : operation.has("security") ? operation.get("security") : document.path("security")) {
                for (Map.Entry<String, JsonNode> scheme : fields(requirement)) {
                    if (!document.path("components").path("securitySchemes").has(scheme.getKey())) {
                        problems.add(where + ": security scheme " + scheme.getKey() + " is not defined");
                    }
                }
            }
        }
        if (!any) {
            problems.add(path + ": no operations");
        }
    }

    /** Every {@code $ref} points at something in the document. */
    private static void checkReferences(JsonNode node, String where, List<String> problems) {
        if (node.isObject()) {
            if (node.has("$ref") && resolve(node) == null) {
                problems.add(where + ": $ref " + node.get("$ref").asText() + " points at nothing");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                checkReferences(field.getValue(), where + "." + field.getKey(), problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferences(node.get(i), where + "[" + i + "]", problems);
            }
        }
    }

    private static JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        String ref = node.get("$ref").asText();
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode target = document.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }

    @Test
    void theTaskAnswersHaveExactlyTheFieldsTheDocumentDescribes() {
        Http.Response created = http.post("/v1/tasks",
                "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": 2}}");
        assertThat(created.status()).isEqualTo(201);
        Http.Response read = http.get("/v1/tasks/" + created.json().get("task_uuid").asText());

        assertThat(fieldNames(created.json())).isEqualTo(described("CreatedTask"));
        assertThat(fieldNames(read.json())).isEqualTo(described("Task"));
        // batch and checkpoint are only on the steps that have one (BatchApiTest shows them).
        Set<String> everyStep = new TreeSet<>(described("Step"));
        everyStep.removeAll(Set.of("batch", "checkpoint"));
        for (JsonNode step : read.json().get("steps")) {
            assertThat(fieldNames(step)).isEqualTo(everyStep);
        }
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The properties a schema of the document gives, through its {@code allOf} parts. */
    private static Set<String> described(String schema) {
        Set<String> names = new TreeSet<>();
        collectProperties(document.at("/components/schemas/" + schema), names);
        return names;
    }

    private static void collectProperties(JsonNode schema, Set<String> names) {
        JsonNode resolved = resolve(schema);
        resolved.path("properties").fieldNames().forEachRemaining(names::add);
        resolved.path("allOf").forEach(part -> collectProperties(part, names));
    }

    @Test
    void theDocumentSaysWhichScopeEachOperationNeeds() {
        assertThat(document.at("/components/securitySchemes/apiToken/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/paths/~1v1~1tasks/post/security/0/apiToken/0").asText()).isEqualTo("write");
        assertThat(document.at("/paths/~1health~1live/get/security").isEmpty()).isTrue();
        assertThat(Json.write(document.at("/security"))).isEqualTo("[{\"apiToken\":[\"read\"]}]");
    }

    @Test
    void theViewerIsServedWithNothingFromElsewhere() {
        Http.Response page = http.get("/docs");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
                "connect-src 'self'");

        List<String> linked = new ArrayList<>();
        for (Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body()); m.find(); ) {
            linked.add(m.group(1));
        }
        assertThat(linked).contains("/docs/docs.js", "/docs/docs.css", "/openapi.json");
        for (String link : linked) {
            assertThat(link).as("a link of the page").startsWith("/").doesNotStartWith("//");
            assertThat(http.get(link).status()).as(link).isEqualTo(200);
        }
        String script = http.get("/docs/docs.js").body();
        assertThat(script).contains("fetch(\"/openapi.json\"").doesNotContainPattern("https?://|fetch\\(\"//");
        assertThat(http.get("/docs/nothing.js").status()).isEqualTo(404);
    }
}
