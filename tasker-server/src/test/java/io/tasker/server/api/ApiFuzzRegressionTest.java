package io.tasker.server.api;

import io.tasker.core.internal.Json;
import io.tasker.server.RunningTasker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the API fuzzer ({@link ApiFuzzTest}) found mishandled, with a 500 or by changing a
 * value on its way in, each kept as it was found and sent as the fuzzer sends it, over a socket.
 */
class ApiFuzzRegressionTest {
    private static final String JSON = "Content-Type: application/json";

    private static RunningTasker tasker;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.start();
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    /** A new task's request: each its own context, so none is a duplicate of another. */
    private static String linear(String extra) {
        return "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": 6, "
                + "\"case\": \"" + UUID.randomUUID() + "\"" + extra + "}}";
    }

    private static RawHttp.Response send(byte[] request, boolean halfClose) {
        RawHttp.Response response = RawHttp.exchange(tasker.port(), request, halfClose, Duration.ofSeconds(30));
        assertThat(FuzzVerdict.problems(request, response)).as(response.head()).isEmpty();
        return response;
    }

    private static RawHttp.Response post(List<String> headers, byte[] body) {
        return send(RawHttp.request("POST", "/v1/tasks", headers, body), false);
    }

    private static String error(RawHttp.Response response) {
        return Json.parse(response.bodyText()).path("error").asText();
    }

    /** Jackson refuses an exponent past BigDecimal's range with a NumberFormatException, not a parse error. */
    @Test
    void aNumberWhoseExponentCannotBeReadIsA400() {
        for (String number : List.of("1e99999999999", "1e-2147483649", "0e-2147483648")) {
            RawHttp.Response refused = post(List.of(JSON),
                    linear(", \"x\": " + number).getBytes(StandardCharsets.UTF_8));

            assertThat(refused.status()).as(number).isEqualTo(400);
            assertThat(error(refused)).as(number).contains(number).contains("131072 digits before the decimal point");
        }
    }

    /**
     * Javalin decoded the body with the charset a Content-Type names, and answered one it does not
     * know (or a malformed name) with a 500. JSON is UTF-8 whatever the header says (RFC 8259).
     */
    @Test
    void aCharsetParameterDoesNotChangeHowTheBodyIsRead() {
        for (String charset : List.of("\"utf-8\"", "", "UTF-7", "\u00ff\u00fe", "iso-8859-1", "utf-16")) {
            RawHttp.Response created = post(List.of(JSON + "; charset=" + charset),
                    linear(", \"note\": \"\u00e9\u4e2d\"").getBytes(StandardCharsets.UTF_8));

            assertThat(created.status()).as(charset).isEqualTo(201);
            assertThat(Json.parse(created.bodyText()).at("/context/note").asText()).as(charset)
                    .isEqualTo("\u00e9\u4e2d");
        }
    }

    /** Decoded to a String, bytes that are not UTF-8 became U+FFFD and the task was created with them. */
    @Test
    void aBodyThatIsNotUtf8IsA400SayingSo() {
        String[] around = linear(", \"note\": \"a@b\"").split("@");
        byte[] body = RawHttp.concat(around[0].getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, 0x28},
                around[1].getBytes(StandardCharsets.UTF_8));

        RawHttp.Response refused = post(List.of(JSON), body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(error(refused)).startsWith("the request body is not valid JSON").contains("UTF-8");
    }

    /** A JSON escape of half a surrogate pair was stored as '?', and the task created with it. */
    @Test
    void anUnpairedSurrogateIsA400NamingTheField() {
        RawHttp.Response refused = post(List.of(JSON), (linear(", \"note\": \"a\\ud800\"").replace("}}", "}, ")
                + "\"tags\": [\"\\udc00\"]}").getBytes(StandardCharsets.UTF_8));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(Json.parse(refused.bodyText()).path("details"))
                .extracting(d -> d.path("field").asText() + ": " + d.path("message").asText())
                .containsExactlyInAnyOrder(
                        "context.note: a string with an unpaired surrogate U+D800, which is not a character and "
                                + "cannot be stored",
                        "tags[0]: a string with an unpaired surrogate U+DC00, which is not a character and cannot "
                                + "be stored");
    }

    /**
     * An instant Java parses but cannot bind as a parameter (past the year 999,999,999) was a 500;
     * one PostgreSQL does not hold was refused by the database instead of the API.
     */
    @Test
    void aTimeFilterOrCursorBeyondWhatPostgresqlHoldsIsA400() {
        String farCursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("31556889864403199.999999999." + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        for (String query : List.of("created_from=-1000000000-01-01T00:00:00Z", "created_to=%2B294277-01-01T00:00:00Z",
                "cursor=" + farCursor)) {
            for (String list : List.of("/v1/tasks", "/v1/steps", "/v1/dlq")) {
                if (query.startsWith("created") && !list.equals("/v1/tasks")) {
                    continue;
                }
                RawHttp.Response refused = send(RawHttp.request("GET", list + "?" + query, List.of(), null), false);

                assertThat(refused.status()).as(list + "?" + query).isEqualTo(400);
                assertThat(error(refused)).as(query)
                        .containsAnyOf("the times PostgreSQL holds", "a time PostgreSQL does not hold");
            }
        }
        RawHttp.Response farButHeld = send(RawHttp.request("GET", "/v1/tasks?created_to=%2B294276-12-31T00:00:00Z",
                List.of(), null), false);
        assertThat(farButHeld.status()).isEqualTo(200);
    }

    /**
     * Jetty takes a '?' after a '%' into the path, and Javalin then fails to decode the path
     * parameter holding it: a 500 for /v1/dlq/%?cursor=... as the fuzzer sent it.
     */
    @Test
    void aPathWithAPercentThatStartsNoEscapeIsA400() {
        for (String target : List.of("/v1/dlq/%?cursor=xxx", "/v1/tasks/%?c=1", "/v1/tasks/a%1?", "/ui/tasks/%?f",
                "/v1/templates/%?a/linear_workflow")) {
            RawHttp.Response refused = send(RawHttp.request("GET", target, List.of(), null), false);

            assertThat(refused.status()).as(target).isEqualTo(400);
            assertThat(error(refused)).as(target).startsWith("the path has a '%' that does not start an escape");
        }
    }

    /**
     * Jetty reports a body that ends early as an EofException, which Javalin takes for a client
     * that went away and answers with an empty 500; the client may well be waiting for an answer.
     */
    @Test
    void aBodyThatEndsBeforeItsFramingSaysIsA400() {
        String body = linear("");
        String head = "POST /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n" + JSON + "\r\nConnection: close\r\n";
        List<String> requests = List.of(
                head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body
                        + "\r\n",
                head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                head + "Content-Length: " + (body.length() + 100) + "\r\n\r\n" + body);
        for (String request : requests) {
            RawHttp.Response refused = send(request.getBytes(StandardCharsets.ISO_8859_1), true);

            assertThat(refused.status()).as(request).isEqualTo(400);
            assertThat(error(refused)).as(request).startsWith("the request body could not be read");
        }
    }
}
