package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A protected API over real HTTP: which routes need which scope, what a client without a token,
 * with an unknown one or with too small a scope is told, and that a token's name is recorded as
 * the actor of what it does.
 */
class ApiAccessTest {
    /** The scope docs/api.md gives each route; {@code open} for those that need no token. */
    private static final Map<String, String> SCOPES = Map.ofEntries(
            entry("POST /v1/tasks", "write"),
            entry("GET /v1/tasks", "read"),
            entry("GET /v1/tasks/{uuid}", "read"),
            entry("DELETE /v1/tasks/{uuid}", "write"),
            entry("GET /v1/tasks/{uuid}/transitions", "read"),
            entry("POST /v1/tasks/{uuid}/cancel", "write"),
            entry("POST /v1/tasks/{uuid}/steps/{step_uuid}/retry", "write"),
            entry("POST /v1/tasks/{uuid}/steps/{step_uuid}/resolve", "admin"),
            entry("POST /v1/tasks/{uuid}/steps/{step_uuid}/complete", "admin"),
            entry("GET /v1/steps", "read"),
            entry("GET /v1/dlq", "read"),
            entry("GET /v1/dlq/stats", "read"),
            entry("GET /v1/dlq/{id}", "read"),
            entry("POST /v1/dlq/{id}/resolve", "admin"),
            entry("GET /v1/templates", "read"),
            entry("GET /v1/templates/{namespace}/{name}", "read"),
            entry("GET /metrics", "read"),
            entry("GET /health", "open"),
            entry("GET /health/live", "open"),
            entry("GET /health/ready", "open"),
            entry("GET /openapi.json", "open"));
    private static final List<String> SCOPE_ORDER = List.of("read", "write", "admin");

    private static RunningTasker tasker;
    private static Http anonymous;
    private static Map<String, Http> byScope;

    @BeforeAll
    static void start() throws IOException {
        List<String> lines = new ArrayList<>(List.of("# tokens of the access test", ""));
        Map<String, String> tokens = new HashMap<>();
        for (String scope : SCOPE_ORDER) {
            ApiToken.Created created = ApiToken.create(scope + "-bot", Scope.parse(scope));
            tokens.put(scope, created.token());
            lines.add(created.line() + "   # " + scope);
        }
        Path file = Files.createTempFile("tasker-tokens", ".txt");
        Files.write(file, lines);
        tasker = RunningTasker.start(new ApiSettings(ApiTokens.read(file), List.of(), List.of()));
        Files.delete(file);
        anonymous = new Http(tasker.url());
        byScope = Map.of("read", anonymous.withToken(tokens.get("read")), "write",
                anonymous.withToken(tokens.get("write")), "admin", anonymous.withToken(tokens.get("admin")));
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    /** A request for {@code route} ({@code GET /v1/tasks/{uuid}}) with every path parameter filled in. */
    private static Http.Response call(Http http, String route) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1)
                .replace("{namespace}", "examples").replace("{name}", "linear_workflow").replace("{file}", "none.js")
                .replaceAll("\\{[a-z_]+}", UUID.randomUUID().toString());
        return method.equals("POST") ? http.send(method, path, "{}", "Content-Type", "application/json")
                : http.send(method, path, null);
    }

    @Test
    void everyRouteNeedsTheScopeTheDocsGiveItAndAnyLargerOne() {
        List<String> routes = tasker.node().api().orElseThrow().routes();
        assertThat(routes).contains("POST /v1/tasks", "GET /v1/tasks", "HEAD /v1/tasks");
        for (String route : routes) {
            String path = route.substring(route.indexOf(' ') + 1);
            if (OpenApi.isPage(path)) {
                assertThat(call(anonymous, route).status()).as(route + " is a page, open to all").isNotIn(401, 403);
                continue;
            }
            String getRoute = route.startsWith("HEAD ") ? "GET " + path : route;
            String needed = SCOPES.get(getRoute);
            assertThat(needed).as("the scope docs/api.md gives " + route + " (add it to this test)").isNotNull();
            if (needed.equals("open")) {
                assertThat(call(anonymous, route).status()).as(route + " without a token").isNotIn(401, 403);
                continue;
            }
            Http.Response withoutToken = call(anonymous, route);
            assertThat(withoutToken.status()).as(route + " without a token").isEqualTo(401);
            assertThat(withoutToken.header("WWW-Authenticate")).as(route).startsWith("Bearer");
            for (String scope : SCOPE_ORDER) {
                Http.Response response = call(byScope.get(scope), route);
                if (SCOPE_ORDER.indexOf(scope) < SCOPE_ORDER.indexOf(needed)) {
                    assertThat(response.status()).as(route + " with a " + scope + " token").isEqualTo(403);
                    if (!route.startsWith("HEAD ")) {
                        assertThat(response.json().get("required_scope").asText()).as(route).isEqualTo(needed);
                        assertThat(response.json().get("token_scope").asText()).as(route).isEqualTo(scope);
                    }
                } else {
                    assertThat(response.status()).as(route + " with a " + scope + " token: " + response.body())
                            .isNotIn(401, 403);
                }
            }
        }
    }

    @Test
    void withoutATokenTheAnswerIs401SayingWhatToSend() {
        Http.Response refused = anonymous.post("/v1/tasks", "{\"namespace\": \"examples\", \"name\": "
                + "\"linear_workflow\", \"context\": {\"even_number\": 2}}");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tasker\"");
        assertThat(refused.header("Content-Type")).startsWith("application/json");
        assertThat(refused.json().get("error").asText()).isEqualTo("POST /v1/tasks needs an API token: send the "
                + "header Authorization: Bearer TOKEN with a token of scope write or more (an operator creates one "
                + "with tasker token create NAME --scope write)");
        assertThat(anonymous.get("/v1/tasks?limit=500").status()).isEqualTo(401);
        assertThat(byScope.get("read").get("/v1/tasks?limit=500").status()).isEqualTo(200);
    }

    @Test
    void anUnknownTokenOrAnotherSchemeIs401() {
        Http.Response unknown = anonymous.withToken("tasker_not-a-token-of-this-server").get("/v1/tasks");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tasker\", error=\"invalid_token\"");
        assertThat(unknown.json().get("error").asText()).startsWith("the API token sent is not one this server accepts");

        Http.Response basic = anonymous.send("GET", "/v1/tasks", null, "Authorization", "Basic dXNlcjpwYXNz");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().get("error").asText()).startsWith("the Authorization header must be Bearer TOKEN");

        Http.Response bare = anonymous.send("GET", "/v1/tasks", null, "Authorization", "Bearer");
        assertThat(bare.status()).isEqualTo(401);
    }

    @Test
    void tooSmallAScopeIs403NamingTheScopeNeededAndTheTokens() {
        Http.Response refused = byScope.get("write").post("/v1/dlq/" + UUID.randomUUID() + "/resolve",
                "{\"resolution\": \"looked at it\"}");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("POST /v1/dlq/{id}/resolve needs a token of scope "
                + "admin or more; the token write-bot has scope write");
        assertThat(refused.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"admin\"");
    }

    @Test
    void healthProbesTheDocumentAndTheWebUiNeedNoToken() {
        for (String path : List.of("/health", "/health/live", "/health/ready", "/openapi.json", "/docs", "/ui")) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aTokensNameIsTheActorOfWhatItDoes() {
        Tasks tasks = new Tasks(byScope.get("write"));
        String id = tasks.create("order_fulfillment", "{\"order_id\": \"ACCESS-ACTOR\", \"payment_failures\": 7}");
        JsonNode failed = tasks.awaitFinished(id).json();
        assertThat(failed.get("state").asText()).isEqualTo("error");
        String retry = "/v1/tasks/" + id + "/steps/" + Tasks.step(failed, "process_payment").get("step_uuid").asText()
                + "/retry";

        assertThat(byScope.get("write").post(retry, "{\"reason\": \"gateway back\"}").status()).isEqualTo(200);

        List<String> actors = new ArrayList<>();
        byScope.get("read").get("/v1/tasks/" + id + "/transitions").json().get("transitions").forEach(entry -> {
            if (entry.path("metadata").has("action")) {
                actors.add(entry.get("metadata").get("action").asText() + " by " + entry.get("metadata").get("actor").asText());
            }
        });
        assertThat(actors).isNotEmpty().containsOnly("retry by write-bot");
    }
}
