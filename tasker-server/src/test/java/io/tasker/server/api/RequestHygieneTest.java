package io.tasker.server.api;

import io.tasker.core.internal.Json;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request must be, over real HTTP: a JSON body by its Content-Type and in UTF-8, a body
 * that arrives (one that stalls is answered 408 and does not hold up other requests), HEAD
 * answered like GET, and the health probes.
 */
class RequestHygieneTest {
    /** Short, so the test of a stalled body does not wait 30 s; the server's default is {@link ApiSettings#BODY_TIMEOUT}. */
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(3);

    private static RunningTasker tasker;
    private static Http http;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start(ApiSettings.OPEN.withBodyTimeout(BODY_TIMEOUT));
        http = new Http(tasker.url());
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    private static String newTask() {
        return "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": 4, "
                + "\"hygiene_test\": \"" + UUID.randomUUID() + "\"}}";
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIs415() {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonx", "application/json, text/plain")) {
            Http.Response refused = http.send("POST", "/v1/tasks", newTask(), "Content-Type", type);

            assertThat(refused.status()).as(type).isEqualTo(415);
            assertThat(refused.json().get("error").asText()).as(type).isEqualTo("the request body must be JSON, sent "
                    + "with Content-Type: application/json, not " + type);
        }
        Http.Response untyped = http.send("POST", "/v1/tasks", newTask());
        assertThat(untyped.status()).isEqualTo(415);
        assertThat(untyped.json().get("error").asText()).endsWith("; the request has no Content-Type");

        for (String type : List.of("application/json; charset=utf-8", "Application/JSON")) {
            assertThat(http.send("POST", "/v1/tasks", newTask(), "Content-Type", type).status()).as(type).isEqualTo(201);
        }
    }

    @Test
    void aRouteWithoutABodyNeedsNoContentType() {
        Http.Response cancelled = http.send("POST", "/v1/tasks/" + UUID.randomUUID() + "/cancel", null);

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(404);
    }

    @Test
    void aBodyThatIsNotUtf8Is400NamingTheByte() {
        byte[] utf16 = newTask().getBytes(StandardCharsets.UTF_16);
        RawHttp.Response refused = RawHttp.exchange(tasker.port(), RawHttp.request("POST", "/v1/tasks",
                List.of("Content-Type: application/json"), utf16), false, Duration.ofSeconds(30));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(Json.parse(refused.bodyText()).get("error").asText()).isEqualTo("the request body is not valid JSON: "
                + "it is not UTF-8 (byte 0xFE at offset 0); send JSON encoded as UTF-8");

        byte[] latin1 = newTask().replace("hygiene_test", "hygi\u00e8ne").getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response alsoRefused = RawHttp.exchange(tasker.port(), RawHttp.request("POST", "/v1/tasks",
                List.of("Content-Type: application/json"), latin1), false, Duration.ofSeconds(30));
        assertThat(alsoRefused.status()).isEqualTo(400);
        assertThat(Json.parse(alsoRefused.bodyText()).get("error").asText()).contains("byte 0xE8 at offset");
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        String id = new Tasks(http).create("linear_workflow", "{\"even_number\": 2, \"head\": \"" + UUID.randomUUID()
                + "\"}");
        for (String path : List.of("/v1/tasks/" + id, "/v1/tasks/" + UUID.randomUUID(), "/v1/tasks/not-a-uuid",
                "/v1/tasks?bogus=1", "/v1/templates", "/health/live", "/health/ready", "/openapi.json", "/ui")) {
            Http.Response get = http.get(path);
            RawHttp.Response head = RawHttp.exchange(tasker.port(), RawHttp.request("HEAD", path, List.of(), null),
                    false, Duration.ofSeconds(30));

            assertThat(head.status()).as(path).isEqualTo(get.status());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
        }
        assertThat(http.get("/v1/tasks/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void theProbesSayWhetherTheProcessServesAndWhetherItIsReady() {
        Http.Response live = http.get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"ok\"}");

        Http.Response ready = http.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo(http.get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
    }

    /**
     * Clients that send their headers and half a body, then nothing: each is answered 408 once the
     * body stalled for the timeout, and meanwhile other requests are served as usual.
     */
    @Test
    void aStalledBodyIs408AndDoesNotHoldUpOtherRequests() throws Exception {
        byte[] body = newTask().getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        List<Socket> stalled = new ArrayList<>();
        try {
            long sent = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), tasker.port());
                socket.setSoTimeout((int) BODY_TIMEOUT.multipliedBy(10).toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, 0, body.length / 2);
                out.flush();
                stalled.add(socket);
            }

            long asked = System.nanoTime();
            assertThat(http.get("/health/live").status()).isEqualTo(200);
            assertThat(new Tasks(http).create("linear_workflow", "{\"even_number\": 2, \"meanwhile\": \""
                    + UUID.randomUUID() + "\"}")).isNotBlank();
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(BODY_TIMEOUT);

            for (Socket socket : stalled) {
                String answer = readToEnd(socket.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 408 ");
                assertThat(answer).contains("the request body did not arrive: nothing came for 3 s");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(BODY_TIMEOUT)
                    .isLessThan(BODY_TIMEOUT.multipliedBy(5));
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    /** A client that keeps sending a byte now and then, far below any real link's rate, is answered 408 too. */
    @Test
    void aBodyTrickledInIs408() throws Exception {
        byte[] body = newTask().getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tasker.port())) {
            socket.setSoTimeout((int) BODY_TIMEOUT.multipliedBy(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            long started = System.nanoTime();
            try {
                // Never more than half the body, each byte well within the idle timeout.
                for (int i = 0; i < body.length / 2 && socket.getInputStream().available() == 0
                        && Duration.ofNanos(System.nanoTime() - started).compareTo(BODY_TIMEOUT.multipliedBy(4)) < 0; i++) {
                    out.write(body[i]);
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException closedByTheServer) {
                // it answered and closed while bytes were still coming
            }

            String answer = readToEnd(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(answer).contains("the request body did not arrive: it arrives slower than 1024 bytes a second");
        }
    }

    /** Everything until the server closes the connection, which it must do after a 408. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.UTF_8);
    }
}
