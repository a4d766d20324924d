package io.tasker.server.api;

import io.tasker.core.TaskerException;
import io.tasker.core.internal.Json;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests a browser makes on behalf of pages that are not the server's: from another origin
 * (refused unless allowed, then answered with CORS headers) or under another host name (DNS
 * rebinding, refused unless allowed). Over real sockets, since HTTP clients will not send a
 * {@code Host} of one's choosing.
 */
class RequestOriginTest {
    private static final String ALLOWED_ORIGIN = "http://ops.example:3000";
    private static final String ALLOWED_HOST = "tasker.internal";

    private static RunningTasker tasker;
    private static Http http;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start(new ApiSettings(ApiTokens.NONE, List.of(ALLOWED_ORIGIN + "/"),
                List.of(ALLOWED_HOST.toUpperCase())));
        http = new Http(tasker.url());
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    private static String newTask() {
        return "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": 8, "
                + "\"origin_test\": \"" + UUID.randomUUID() + "\"}}";
    }

    /** One request as {@code head} says (request line and headers, without the blank line), and a body. */
    private static RawHttp.Response raw(String head, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String request = head + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        return RawHttp.exchange(tasker.port(), RawHttp.concat(request.getBytes(StandardCharsets.ISO_8859_1), bytes),
                false, Duration.ofSeconds(30));
    }

    private static String error(RawHttp.Response response) {
        return Json.parse(response.bodyText()).get("error").asText();
    }

    @Test
    void aPageOfAnotherOriginCannotCreateATaskEvenWithoutAPreflight() {
        int before = http.get("/v1/tasks?limit=500").json().get("tasks").size();
        for (String type : List.of("text/plain", "application/json")) {
            RawHttp.Response refused = raw("POST /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1:" + tasker.port()
                    + "\r\nContent-Type: " + type + "\r\nOrigin: http://evil.example", newTask());

            assertThat(refused.status()).as(type).isEqualTo(403);
            assertThat(error(refused)).as(type).startsWith("cross-origin request refused")
                    .contains("Origin http://evil.example").endsWith("--allow-origin http://evil.example");
            assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        }
        assertThat(http.get("/v1/tasks?limit=500").json().get("tasks")).hasSize(before);
    }

    @Test
    void aRequestUnderAHostNameNotTheServersIsRefused() {
        for (String path : List.of("/v1/tasks", "/health", "/ui")) {
            RawHttp.Response refused = raw("GET " + path + " HTTP/1.1\r\nHost: evil.example:" + tasker.port(), "");

            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(error(refused)).as(path).isEqualTo("Host evil.example:" + tasker.port() + " is not a name of "
                    + "this server, so the request is refused (a defence against DNS rebinding); if clients reach the "
                    + "server by that name, start it with --allow-host evil.example");
        }
        for (String host : List.of("127.0.0.1:" + tasker.port(), "localhost:" + tasker.port(), "LOCALHOST",
                "[::1]:" + tasker.port(), "127.0.0.2", ALLOWED_HOST + ":443")) {
            assertThat(raw("GET /v1/tasks HTTP/1.1\r\nHost: " + host, "").status()).as(host).isEqualTo(200);
        }
        for (String host : List.of("evil.example", "127.0.0.1.evil.example", "localhost.", "[::1", "a:b:c", "")) {
            assertThat(raw("GET /health HTTP/1.1\r\nHost: " + host, "").status()).as(host).isIn(400, 403);
        }
    }

    @Test
    void theServersOwnPagesAndClientsWithoutAnOriginPass() {
        Http.Response own = http.send("POST", "/v1/tasks", newTask(), "Content-Type", "application/json",
                "Origin", tasker.url());
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(own.header("Access-Control-Allow-Origin")).isNull();

        assertThat(http.post("/v1/tasks", newTask()).status()).isEqualTo(201);
    }

    @Test
    void anAllowedOriginGetsCorsHeadersAndAnAnswerToItsPreflight() {
        Http.Response preflight = http.send("OPTIONS", "/v1/tasks", null, "Origin", ALLOWED_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,content-type");

        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST", "DELETE", "GET");
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type");
        assertThat(preflight.header("Vary")).contains("Origin");

        Http.Response created = http.send("POST", "/v1/tasks", newTask(), "Content-Type", "application/json",
                "Origin", ALLOWED_ORIGIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(created.header("Access-Control-Expose-Headers")).contains("Location");

        Http.Response notFound = http.send("GET", "/v1/tasks/" + UUID.randomUUID(), null, "Origin", ALLOWED_ORIGIN);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("Access-Control-Allow-Origin")).as("errors are readable too").isEqualTo(ALLOWED_ORIGIN);
    }

    @Test
    void aPreflightFromAnOriginNotAllowedIsRefused() {
        for (String origin : List.of("http://ops.example:3001", "https://ops.example:3000", "null", "http://evil.example")) {
            Http.Response preflight = http.send("OPTIONS", "/v1/tasks", null, "Origin", origin,
                    "Access-Control-Request-Method", "POST");

            assertThat(preflight.status()).as(origin).isEqualTo(403);
            assertThat(preflight.header("Access-Control-Allow-Origin")).as(origin).isNull();
        }
    }

    @Test
    void anOpenApiIsNotServedBeyondLoopback() {
        ApiServices services = ApiServices.on(tasker.database().dataSource());
        for (String host : List.of("0.0.0.0", "::")) {
            assertThatThrownBy(() -> ApiServer.start(host, 0, services))
                    .isInstanceOf(TaskerException.class)
                    .hasMessageStartingWith("the API has no tokens, so anyone who reaches it could use it: it listens "
                            + "on a loopback address (127.0.0.1, localhost) only, not on " + host)
                    .hasMessageContaining("--api-tokens FILE");
        }
        try (ApiServer server = ApiServer.start("localhost", 0, services)) {
            assertThat(new Http(server.url()).get("/health/live").status()).isEqualTo(200);
        }
    }

    @Test
    void aProtectedApiMayListenOnEveryAddressAndAnswersToEachOfThem() throws Exception {
        ApiToken.Created token = ApiToken.create("ops", Scope.READ);
        ApiSettings settings = new ApiSettings(ApiTokens.of(List.of(token.apiToken())), List.of(), List.of());
        try (ApiServer server = ApiServer.start("0.0.0.0", 0, ApiServices.on(tasker.database().dataSource()),
                settings)) {
            Http api = new Http("http://127.0.0.1:" + server.port()).withToken(token.token());
            assertThat(api.get("/v1/templates").status()).isEqualTo(200);
            assertThat(server.access()).isEqualTo("protected: 1 API token (ops: read)");
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress ip : Collections.list(network.getInetAddresses())) {
                    if (ip instanceof Inet4Address && !ip.isLoopbackAddress()) {
                        Http byAddress = new Http("http://" + ip.getHostAddress() + ":" + server.port())
                                .withToken(token.token());
                        assertThat(byAddress.get("/v1/templates").status()).as(ip.toString()).isEqualTo(200);
                    }
                }
            }
        }
    }
}
