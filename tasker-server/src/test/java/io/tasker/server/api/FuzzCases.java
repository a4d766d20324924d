package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.server.api.FuzzCase.Category;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The fuzzer's requests. Case {@code k} of seed {@code s} is always the same request (up to the
 * ids of the tasks it may read, which each run creates anew), so one failing case is reproduced
 * alone from the seed and its number.
 */
final class FuzzCases {
    private static final String JSON = "Content-Type: application/json";
    /**
     * Every route, with {@code {id}} a task's id, {@code {step}} a step's and {@code {letter}} a
     * dead letter's (existing, unknown or malformed when resolved).
     */
    private static final List<String> ROUTES = List.of("/v1/tasks", "/v1/tasks/{id}", "/v1/tasks/{id}/transitions",
            "/v1/tasks/{id}/cancel", "/v1/tasks/{id}/steps/{step}/retry", "/v1/tasks/{id}/steps/{step}/resolve",
            "/v1/tasks/{id}/steps/{step}/complete", "/v1/steps", "/v1/dlq", "/v1/dlq/stats", "/v1/dlq/{letter}",
            "/v1/dlq/{letter}/resolve", "/v1/templates", "/v1/templates/examples/linear_workflow", "/health",
            "/metrics", "/", "/ui", "/ui/tasks/{id}", "/ui/assets/ui.js", "/ui/assets/tasker.css");
    /** The routes that take a JSON body besides task creation, and the fields their bodies have. */
    private static final List<String> ACTION_ROUTES = List.of("/v1/tasks/{id}/cancel",
            "/v1/tasks/{id}/steps/{step}/retry", "/v1/tasks/{id}/steps/{step}/resolve",
            "/v1/tasks/{id}/steps/{step}/complete", "/v1/dlq/{letter}/resolve");
    private static final List<String> ACTION_FIELDS = List.of("reason", "result", "resolution");
    /** The list routes' parameters, and a few they do not take. */
    private static final List<String> QUERY_NAMES = List.of("limit", "state", "cursor", "namespace", "name",
            "task_name", "initiator", "correlation_id", "created_from", "created_to", "q", "resolved", "version",
            "order", "since");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
            "HEAD", "CONNECT", "PROPFIND", "FOO", "get", "Post", "X".repeat(300), "GET\u0000", "G(T");
    /** Not UTF-8: stray continuations, overlong forms, surrogates, past U+10FFFF, cut-off sequences. */
    private static final List<byte[]> INVALID_UTF8 = List.of(bytes(0x80), bytes(0xBF), bytes(0xC0, 0xAF),
            bytes(0xC1, 0xBF), bytes(0xC3), bytes(0xC3, 0x28), bytes(0xE0, 0x80, 0x80), bytes(0xE2, 0x82),
            bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), bytes(0xF0, 0x80, 0x80, 0x80),
            bytes(0xF4, 0x90, 0x80, 0x80), bytes(0xF5), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xFE), bytes(0xFF),
            bytes(0xFF, 0xFE), bytes(0xE9));

    private final long seed;
    private final List<String> taskIds;
    private final List<String> stepIds;
    private final boolean atTheLimits;

    /**
     * {@code taskIds}, {@code stepIds}: existing tasks and steps, so that requests find something;
     * {@code atTheLimits}: see {@link FuzzJson}.
     */
    FuzzCases(long seed, List<String> taskIds, List<String> stepIds, boolean atTheLimits) {
        this.seed = seed;
        this.taskIds = List.copyOf(taskIds);
        this.stepIds = List.copyOf(stepIds);
        this.atTheLimits = atTheLimits;
    }

    FuzzCase get(int index) {
        Generator generator = new Generator(new Random(seed * 0x9E3779B97F4A7C15L + index));
        int roll = generator.random.nextInt(100);
        for (Category category : Category.values()) {
            roll -= category.percent();
            if (roll < 0) {
                return generator.generate(category);
            }
        }
        throw new IllegalStateException("the category shares do not add up to 100");
    }

    /** One case's choices, all from its own random source. */
    private final class Generator {
        private final Random random;
        private final FuzzJson json;

        Generator(Random random) {
            this.random = random;
            this.json = new FuzzJson(random, atTheLimits);
        }

        FuzzCase generate(Category category) {
            return switch (category) {
                case MUTATED_BODY -> mutatedBody();
                case RANDOM_JSON -> randomJson();
                case BROKEN_JSON -> brokenJson();
                case INVALID_UTF8 -> invalidUtf8();
                case HEADERS -> headers();
                case METHOD -> method();
                case PATH -> path();
                case QUERY -> query();
                case MALFORMED_HTTP -> malformedHttp();
                case OPERATOR_ACTION -> operatorAction();
                case READ_BACK -> throw new IllegalArgumentException("read-backs follow from answers, not the seed");
            };
        }

        /**
         * A valid request mutated anywhere, or (one in four) one whose context gets values at the
         * limits under new keys, which the examples' schemas allow: those are stored, run and read
         * back.
         */
        private FuzzCase mutatedBody() {
            ObjectNode request = json.validRequest();
            List<String> done = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                for (int i = 1 + random.nextInt(2); i > 0; i--) {
                    String key = json.word();
                    FuzzJson.Value value = random.nextBoolean() ? json.edgeValue() : json.oddString();
                    ((ObjectNode) request.get("context")).set(key, value.node());
                    done.add("added context." + key + " = " + value.label());
                }
            } else {
                done.addAll(json.mutate(request));
            }
            return post(Category.MUTATED_BODY, "a request for examples/" + request.path("name").asText() + ", "
                    + String.join("; ", done), json.write(request));
        }

        private FuzzCase randomJson() {
            FuzzJson.Value value = switch (random.nextInt(3)) {
                case 0 -> json.randomValue(4);
                case 1 -> json.edgeValue();
                default -> {
                    ObjectNode object = json.validRequest();
                    object.set(json.pick(FuzzJson.FIELDS), json.randomValue(3).node());
                    object.set(json.word(), json.randomValue(3).node());
                    yield new FuzzJson.Value("a request with random fields", object);
                }
            };
            return post(Category.RANDOM_JSON, "random JSON: " + value.label(), json.write(value.node()));
        }

        private FuzzCase operatorAction() {
            String target = resolve(json.pick(ACTION_ROUTES));
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            for (String field : ACTION_FIELDS) {
                if (random.nextBoolean()) {
                    body.set(field, field.equals("result") ? json.randomValue(2).node()
                            : JsonNodeFactory.instance.textNode(json.word()));
                }
            }
            List<String> done = random.nextInt(3) == 0 ? List.of("as it is") : json.mutate(body, ACTION_FIELDS);
            String text = random.nextInt(8) == 0 ? "" : json.write(body);
            String what = "an operator action on " + FuzzCase.preview(target) + ", " + String.join("; ", done)
                    + (text.isEmpty() ? ", no body" : "");
            return FuzzCase.http(Category.OPERATOR_ACTION, what, "POST", target, List.of(JSON), text);
        }

        private FuzzCase brokenJson() {
            ObjectNode request = json.validRequest();
            String text = json.write(request);
            List<String> done = new ArrayList<>();
            for (int i = 1 + random.nextInt(2); i > 0; i--) {
                int at = random.nextInt(text.length() + 1);
                switch (random.nextInt(9)) {
                    case 0 -> {
                        text = text.substring(0, at);
                        done.add("cut at " + at);
                    }
                    case 1 -> {
                        text = at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
                        done.add("deleted the character at " + at);
                    }
                    case 2 -> {
                        String characters = "{}[]\":,\\ 0e-+.tfn\u0000\u001f\u2028\ud800";
                        char c = characters.charAt(random.nextInt(characters.length()));
                        text = text.substring(0, at) + c + text.substring(at);
                        done.add(String.format("inserted U+%04X at %d", (int) c, at));
                    }
                    case 3 -> {
                        int end = at + random.nextInt(text.length() - at + 1);
                        text = text.substring(0, end) + text.substring(at, end) + text.substring(end);
                        done.add("repeated characters " + at + " to " + end);
                    }
                    case 4 -> {
                        text = text.replace('"', '\'');
                        done.add("single quotes");
                    }
                    case 5 -> {
                        int close = text.lastIndexOf('}');
                        text = close < 0 ? text + "," : text.substring(0, close) + "," + text.substring(close);
                        done.add("a trailing comma");
                    }
                    case 6 -> {
                        String extra = json.pick(List.of("// comment\n", "/* comment */", "\ufeff", "#", ")]}'\n"));
                        text = extra + text;
                        done.add("prefixed " + FuzzCase.preview(extra));
                    }
                    case 7 -> {
                        String extra = json.pick(List.of("}", "{}", " x", "\u0000", "[", ",{\"a\":1}", "\n\n\n"));
                        text = text + extra;
                        done.add("appended " + FuzzCase.preview(extra));
                    }
                    default -> {
                        text = json.pick(List.of("", " ", "\n", "null", "[]", "\"\"", "0", "{", "}", "{}", "{\"\":}",
                                "{\"namespace\"}", "{:}", "[{}]"));
                        done.add("replaced by '" + FuzzCase.preview(text) + "'");
                    }
                }
            }
            return post(Category.BROKEN_JSON, "a request for examples/" + request.path("name").asText() + ", "
                    + String.join("; ", done), text);
        }

        private FuzzCase invalidUtf8() {
            byte[] bad = INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size()));
            String shown = FuzzCase.preview(bad);
            String badText = new String(bad, StandardCharsets.ISO_8859_1);
            String encoded = percentEncoded(bad);
            Category c = Category.INVALID_UTF8;
            return switch (random.nextInt(9)) {
                case 0, 1, 2 -> {
                    ObjectNode request = json.validRequest();
                    String where = json.pick(List.of("context", "reason", "namespace", "name", "key"));
                    String marker = "@@marker@@";
                    if (where.equals("key")) {
                        ((ObjectNode) request.get("context")).put(marker, 1);
                    } else if (where.equals("context")) {
                        ((ObjectNode) request.get("context")).put("note", "a" + marker + "b");
                    } else {
                        request.put(where, request.path(where).asText("x") + marker);
                    }
                    String[] parts = json.write(request).split(marker, 2);
                    byte[] body = RawHttp.concat(parts[0].getBytes(StandardCharsets.UTF_8), bad,
                            parts[1].getBytes(StandardCharsets.UTF_8));
                    List<String> headers = List.of(json.pick(List.of(JSON, JSON + "; charset=utf-8")));
                    yield FuzzCase.http(c, shown + " in a string of the body (" + where + ")", "POST", "/v1/tasks",
                            headers, body);
                }
                case 3 -> {
                    String text = json.write(json.validRequest());
                    int at = json.pick(List.of(0, 1, text.length()));
                    byte[] body = RawHttp.concat(text.substring(0, at).getBytes(StandardCharsets.UTF_8), bad,
                            text.substring(at).getBytes(StandardCharsets.UTF_8));
                    yield FuzzCase.http(c, shown + " outside strings, at " + at, "POST", "/v1/tasks", List.of(JSON),
                            body);
                }
                case 4 -> {
                    String target = json.pick(List.of("/v1/tasks/", "/ui/tasks/", "/ui/assets/", "/", "/v1/"));
                    boolean raw = random.nextBoolean();
                    yield FuzzCase.http(c, shown + (raw ? " raw" : " percent-encoded") + " in the path", "GET",
                            target + (raw ? badText : encoded), List.of(), (byte[]) null);
                }
                case 5 -> {
                    String name = json.pick(List.of("state", "limit", badText));
                    boolean raw = random.nextBoolean();
                    String route = json.pick(List.of("/v1/tasks", "/ui", "/health", "/v1/templates"));
                    yield FuzzCase.http(c, shown + (raw ? " raw" : " percent-encoded") + " in the query", "GET",
                            route + "?" + name + "=" + (raw ? badText : encoded), List.of(), (byte[]) null);
                }
                case 6 -> {
                    String header = json.pick(List.of("X-Note: a" + badText, "Accept: " + badText,
                            "Content-Type: application/json; charset=" + badText, "If-None-Match: \"" + badText + "\"",
                            "X-" + badText + ": 1"));
                    String route = json.pick(List.of("/v1/tasks", "/ui/assets/ui.js", "/health"));
                    boolean post = route.equals("/v1/tasks") && random.nextBoolean();
                    yield FuzzCase.http(c, shown + " in a header", post ? "POST" : "GET", route, List.of(header),
                            post ? json.write(json.validRequest()) : null);
                }
                case 7 -> FuzzCase.http(c, "a body of only " + shown, "POST", "/v1/tasks", List.of(JSON), bad);
                default -> {
                    String text = json.write(json.validRequest());
                    byte[] body = json.pick(List.of(text.getBytes(StandardCharsets.UTF_16),
                            text.getBytes(StandardCharsets.UTF_16LE), text.getBytes(StandardCharsets.ISO_8859_1)));
                    yield FuzzCase.http(c, "a request in another encoding, declared as UTF-8", "POST", "/v1/tasks",
                            List.of(JSON + "; charset=utf-8"), body);
                }
            };
        }

        /**
         * A task request with odd headers (Content-Type, Accept, Content-Encoding), or a request to
         * any route with odd access headers (Authorization, Origin and CORS preflights, Host).
         */
        private FuzzCase headers() {
            String text = json.write(json.validRequest());
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            String method = "POST";
            String target = "/v1/tasks";
            List<String> headers = switch (random.nextInt(8)) {
                case 0 -> List.of();
                case 1 -> List.of("Content-Type: " + json.pick(List.of("text/plain", "application/xml",
                        "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
                        "*/*", "", "%%%", "application/json, text/plain", "application/json;;;", "application/jsonx",
                        "application/json; charset=\"utf-8\"", "application/json; x=" + "y".repeat(2_000))));
                case 2 -> List.of("Content-Type: application/json; charset=" + json.pick(List.of("utf-16",
                        "UTF-16LE", "iso-8859-1", "ascii", "bogus", "", "utf-8; charset=latin1", "x".repeat(500),
                        "utf-32", "UTF-7")));
                case 3 -> List.of(JSON, "Content-Type: " + json.pick(List.of("text/plain", "application/json")));
                case 4 -> List.of(JSON, json.pick(List.of("Accept: text/html", "Accept: application/xml",
                        "Accept: */*;q=abc", "Accept: ", "Accept-Charset: utf-16", "Accept-Encoding: gzip",
                        "Accept-Encoding: deflate", "Accept-Language: \u00e9")));
                case 5 -> List.of(JSON, "Content-Encoding: " + json.pick(List.of("gzip", "deflate", "br", "bogus")));
                case 6 -> {
                    method = json.pick(List.of("GET", "POST", "OPTIONS"));
                    target = method.equals("POST") ? target : route();
                    yield List.of(JSON, json.pick(List.of("Authorization: Bearer ", "Authorization: Bearer x",
                            "Authorization: Basic dXNlcjpwYXNz", "Authorization: Bearer " + "a".repeat(6_000),
                            "Authorization: bearer\ttoken", "Authorization: Bearer \u00e9\u00e9", "Authorization: ",
                            "Authorization: Bearer a b c", "Origin: http://evil.example", "Origin: null", "Origin: ",
                            "Origin: http://127.0.0.1:1", "Access-Control-Request-Method: POST", "Cookie: a=b; c")));
                }
                default -> {
                    method = json.pick(List.of("GET", "POST", "OPTIONS"));
                    target = method.equals("POST") ? target : route();
                    yield List.of(JSON, json.pick(List.of("Host: evil.example", "Host: 127.0.0.1:1", "Host: [::1]",
                            "Host: ", "Host: a b", "Host: localhost", "Host: 127.0.0.1:99999",
                            "Host: " + "h".repeat(300))),
                            json.pick(List.of("Origin: http://evil.example", "X-Forwarded-Host: evil.example",
                                    "Access-Control-Request-Method: DELETE")));
                }
            };
            String what = method + " " + FuzzCase.preview(target) + " with " + (headers.isEmpty() ? "no Content-Type"
                    : String.join(" and ", headers.stream().map(FuzzCase::preview).toList()));
            if (headers.contains("Content-Encoding: gzip") && random.nextBoolean()) {
                body = gzip(body);
                what += " (really gzipped)";
            }
            boolean littleEndian = headers.stream().anyMatch(h -> h.contains("UTF-16LE"));
            if ((littleEndian || headers.stream().anyMatch(h -> h.contains("utf-16"))) && random.nextBoolean()) {
                body = text.getBytes(littleEndian ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16);
                what += " (really so encoded)";
            }
            return FuzzCase.http(Category.HEADERS, what, method, target, headers, method.equals("POST") ? body : null);
        }

        private FuzzCase method() {
            String method = json.pick(METHODS);
            String target = route();
            String body = random.nextBoolean() ? json.write(json.validRequest()) : null;
            return FuzzCase.http(Category.METHOD, "method " + FuzzCase.preview(method) + " on " + target, method,
                    target, body == null ? List.of() : List.of(JSON), body);
        }

        private FuzzCase path() {
            String target = switch (random.nextInt(5)) {
                case 0 -> json.pick(List.of("/v1/tasks/", "/v1/tasks/", "/ui/tasks/")) + badTaskId()
                        + json.pick(List.of("", "", "/transitions"));
                case 1 -> json.pick(List.of("/v1/tasks/../templates", "/v1/./tasks", "/v1//tasks", "//v1/tasks",
                        "/v1/tasks/%2e%2e/templates", "/v1/tasks%2F" + anyTaskId(), "/v1/tasks/%00", "/v1/tasks/%",
                        "/v1/tasks/%zz", "/V1/TASKS", "/v1/tasks;jsessionid=x", "/v1/tasks;",
                        "/v1/tasks/;/transitions", "/ui/assets/../../pom.xml", "/ui/assets/%2e%2e%2f%2e%2e%2fpom.xml",
                        "/ui/assets/ui.js%00.html", "/ui/assets/..%5c..%5cpom.xml", "/ui/assets/", "/ui/assets/UI.JS",
                        "/ui/assets/tasks.html", "/ui/tasks/", "/ui/tasks//", "/ui/../health", "/health/", "/health//",
                        "/health/x", "/metrics/x", "/metrics%00", "/%2e", "/..", "/.", "/~", "\\v1\\tasks",
                        "/v1\\tasks", "/v1/tasks#x", "*", "v1/tasks", "http://127.0.0.1/health",
                        "http://example.com/v1/templates", "//example.com/ui",
                        "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/v1/tasks/" + anyTaskId() + "/transitions/x",
                        "/v1/tasks/" + anyTaskId() + "/TRANSITIONS"));
                case 2 -> {
                    int length = json.pick(List.of(1_000, 7_000, 9_000, 100_000));
                    yield json.pick(List.of("/v1/tasks/", "/ui/tasks/", "/", "/ui/assets/")) + "a".repeat(length);
                }
                case 3 -> "/" + String.join("/", Collections.nCopies(json.pick(List.of(50, 1_000, 3_000)),
                        json.pick(List.of("v1", "..", ".", "", "%2e%2e"))));
                default -> {
                    // A route's start and a few characters the URI parser treats specially, in any order.
                    String special = "%?#;/\\.:@&=+0aFg~\u00e9";
                    StringBuilder tail = new StringBuilder();
                    for (int i = 1 + random.nextInt(6); i > 0; i--) {
                        tail.append(special.charAt(random.nextInt(special.length())));
                    }
                    yield resolve(json.pick(List.of("/v1/tasks/", "/v1/dlq/", "/v1/templates/", "/ui/tasks/",
                            "/v1/tasks/{id}/steps/", "/ui/assets/", "/"))) + tail;
                }
            };
            String method = json.pick(List.of("GET", "GET", "GET", "POST", "HEAD"));
            String body = method.equals("POST") ? json.write(json.validRequest()) : null;
            return FuzzCase.http(Category.PATH, "path " + FuzzCase.preview(target), method, target,
                    body == null ? List.of() : List.of(JSON), body);
        }

        private FuzzCase query() {
            String route = json.pick(List.of("/v1/tasks", "/v1/tasks", "/v1/steps", "/v1/dlq", route()));
            List<String> parameters = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                parameters.add(switch (random.nextInt(7)) {
                    case 0 -> "limit=" + json.pick(List.of("", "0", "1", "500", "501", "-1", "abc", "1.5", "1e2",
                            "99999999999999999999", "%207", "7%20", "+7", "%EF%BC%97", "%00", "%zz", "%", "0x10",
                            "50,50"));
                    case 1 -> "state=" + json.pick(List.of("complete", "COMPLETE", "in_progress", "finished", "",
                            "%00", "complete%00", "%20complete", "error'--", "%E2%80%AE", "x".repeat(5_000), "null",
                            "complete,error", "complete,,error", ",", "Complete%2C%20ERROR", "enqueued",
                            "waiting_for_retry"));
                    case 2 -> json.pick(List.of("limit", "state", "=", "&", "&&", "a=b=c", "%", "%%", "=x",
                            "limit[]=1", "state=complete&state=error", "limit=1&limit=2", "x=" + "y".repeat(10_000),
                            "#frag"));
                    case 3 -> json.pick(QUERY_NAMES) + "=" + json.pick(List.of(queryText(json.word()), "", "%00",
                            "%zz", "%C3%28", "x".repeat(3_000), "0190f1a4", "0190F1A4-5B6C", "-", "----", "%25", "*",
                            "'", "true", "1.0.0", "../../", anyTaskId()));
                    case 4 -> json.pick(List.of("created_from", "created_to")) + "=" + json.pick(List.of(
                            "2026-01-31T12:00:00Z", "2026-02-30T00:00:00Z", "%2B294277-01-01T00:00:00Z",
                            "-4714-11-24T00:00:00Z", "%2B1000000000-12-31T23:59:59.999999999Z",
                            "-1000000000-01-01T00:00:00Z", "1970-01-01T00:00:00.123456789Z", "2026-01-31", "now",
                            "2026-01-31T12:00:00%2B25:00", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"));
                    case 5 -> "cursor=" + json.pick(List.of("", "abc", "====", "%00", queryText(json.word()),
                            cursor(random.nextLong() >> random.nextInt(64), random.nextInt(), anyTaskId()),
                            cursor(253_402_300_800L, 0, anyTaskId()),
                            cursor(-210_866_803_200L, 999_999_999, anyTaskId()),
                            cursor(31_556_889_864_403_199L, 999_999_999, anyTaskId()), cursor(0, -1, "not-a-uuid"),
                            cursor(1, 2, "1-2-3-4-5"), "x".repeat(2_000)));
                    default -> {
                        StringBuilder many = new StringBuilder();
                        for (int k = json.pick(List.of(100, 2_000)); k > 0; k--) {
                            many.append(many.isEmpty() ? "" : "&").append("k").append(k).append("=v");
                        }
                        yield many.toString();
                    }
                });
            }
            String target = route + "?" + String.join("&", parameters);
            return FuzzCase.http(Category.QUERY, "query on " + FuzzCase.preview(route), "GET", target, List.of(),
                    (byte[]) null);
        }

        private FuzzCase malformedHttp() {
            String valid = json.write(json.validRequest());
            int length = valid.getBytes(StandardCharsets.UTF_8).length;
            String post = "POST /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n" + JSON + "\r\nConnection: close\r\n";
            String get = "GET /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
            List<String[]> variants = List.of(
                    new String[] {"garbage instead of a request line", "HELLO\r\n\r\n"},
                    new String[] {"an HTTP/0.9 request", "GET /health\r\n\r\n"},
                    new String[] {"an unknown HTTP version", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n"},
                    new String[] {"HTTP/2.0 in an HTTP/1 request line", "GET /health HTTP/2.0\r\nHost: x\r\n\r\n"},
                    new String[] {"HTTP/1.0 without Host", "GET /v1/templates HTTP/1.0\r\n\r\n"},
                    new String[] {"HTTP/1.1 without Host", "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"},
                    new String[] {"two Host headers", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n"
                            + "Connection: close\r\n\r\n"},
                    new String[] {"a header without a colon", get + "NoColonHere\r\n\r\n"},
                    new String[] {"a space before the colon", get + "X-Note : 1\r\n\r\n"},
                    new String[] {"a folded header", get + "X-Note: a\r\n  b\r\n\r\n"},
                    new String[] {"a NUL in a header", get + "X-Note: a\u0000b\r\n\r\n"},
                    new String[] {"a header name with a space", get + "X Note: 1\r\n\r\n"},
                    new String[] {"a header of 100,000 characters", get + "X-Note: " + "n".repeat(100_000)
                            + "\r\n\r\n"},
                    new String[] {"2,000 headers", get + "X-Note: 1\r\n".repeat(2_000) + "\r\n"},
                    new String[] {"only LF line ends", "GET /health HTTP/1.1\nHost: x\nConnection: close\n\n"},
                    new String[] {"only CR line ends", "GET /health HTTP/1.1\rHost: x\rConnection: close\r\r"},
                    new String[] {"tabs in the request line", "GET\t/health\tHTTP/1.1\r\nHost: x\r\n\r\n"},
                    new String[] {"spaces in the path", "GET /v1/tasks/a b c HTTP/1.1\r\nHost: x\r\n"
                            + "Connection: close\r\n\r\n"},
                    new String[] {"a negative Content-Length", post + "Content-Length: -1\r\n\r\n" + valid},
                    new String[] {"a Content-Length that is not a number", post + "Content-Length: abc\r\n\r\n"
                            + valid},
                    new String[] {"a Content-Length beyond long", post + "Content-Length: 99999999999999999999\r\n"
                            + "\r\n" + valid},
                    new String[] {"a Content-Length over the request limit", post + "Content-Length: 999999999\r\n"
                            + "\r\n" + valid},
                    new String[] {"two different Content-Lengths", post + "Content-Length: 2\r\nContent-Length: "
                            + length + "\r\n\r\n" + valid},
                    new String[] {"a Content-Length shorter than the body", post + "Content-Length: " + (length / 2)
                            + "\r\n\r\n" + valid},
                    new String[] {"a Content-Length longer than the body", post + "Content-Length: " + (length + 100)
                            + "\r\n\r\n" + valid},
                    new String[] {"chunked with a bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n"
                            + valid + "\r\n0\r\n\r\n"},
                    new String[] {"chunked without the last chunk", post + "Transfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(length) + "\r\n" + valid + "\r\n"},
                    new String[] {"chunked with a chunk extension", post + "Transfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(length) + ";x=y\r\n" + valid + "\r\n0\r\n\r\n"},
                    new String[] {"chunked with a size beyond int", post + "Transfer-Encoding: chunked\r\n\r\n"
                            + "fffffffffffffffff\r\n" + valid + "\r\n0\r\n\r\n"},
                    new String[] {"both Transfer-Encoding and Content-Length", post + "Transfer-Encoding: chunked\r\n"
                            + "Content-Length: " + length + "\r\n\r\n" + valid},
                    new String[] {"an unknown Transfer-Encoding", post + "Transfer-Encoding: gzip\r\n\r\n" + valid},
                    new String[] {"Expect: 100-continue", post + "Expect: 100-continue\r\nContent-Length: " + length
                            + "\r\n\r\n" + valid},
                    new String[] {"an unknown Expect", post + "Expect: teapot\r\nContent-Length: " + length + "\r\n\r\n"
                            + valid},
                    new String[] {"Upgrade: h2c", get + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
                            + "Connection: Upgrade, HTTP2-Settings\r\n\r\n"},
                    new String[] {"a websocket upgrade", get + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                            + "Sec-WebSocket-Key: x\r\n\r\n"},
                    new String[] {"a body on GET", get + "Content-Length: " + length + "\r\n\r\n" + valid},
                    new String[] {"a line end before the request line", "\r\n" + get + "\r\n"},
                    new String[] {"the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"},
                    new String[] {"a TLS hello", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003"});
            String[] variant = json.pick(variants);
            return FuzzCase.raw(Category.MALFORMED_HTTP, variant[0],
                    variant[1].getBytes(StandardCharsets.ISO_8859_1.newEncoder().canEncode(variant[1])
                            ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8), true);
        }

        private FuzzCase post(Category category, String what, String body) {
            return FuzzCase.http(category, what, "POST", "/v1/tasks", List.of(JSON), body);
        }

        private String route() {
            return resolve(json.pick(ROUTES));
        }

        /** A route with its ids filled in: existing ones, unknown ones or malformed ones. */
        private String resolve(String route) {
            String step = !stepIds.isEmpty() && random.nextBoolean() ? json.pick(stepIds)
                    : new UUID(random.nextLong(), random.nextLong()).toString();
            String letter = new UUID(random.nextLong(), random.nextLong()).toString();
            return route.replace("{id}", random.nextInt(4) == 0 ? badTaskId() : anyTaskId())
                    .replace("{step}", random.nextInt(4) == 0 ? badTaskId() : step)
                    .replace("{letter}", random.nextInt(4) == 0 ? badTaskId() : letter);
        }

        /** An existing task's id, or one of no task. */
        private String anyTaskId() {
            return !taskIds.isEmpty() && random.nextBoolean() ? json.pick(taskIds)
                    : new UUID(random.nextLong(), random.nextLong()).toString();
        }

        private String badTaskId() {
            String id = anyTaskId();
            return json.pick(List.of("not-a-uuid", "", " ", "%20", "0", "1-2-3-4-5", id.replace("-", ""),
                    id.toUpperCase(Locale.ROOT), "{" + id + "}", "urn:uuid:" + id, id + "0", id.substring(1),
                    id.replace('a', 'g'),
                    "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", id + "%00",
                    id + "%20", id + ";x", "%EF%BC%91" + id.substring(1), "..", ".", "%2e%2e", "-1", "9".repeat(1_000),
                    id + "/", id + "//transitions", id + "/transitions/", "null", "undefined", "%", "%zz",
                    id.replace("-", "%2D"), "\u00e9" + id.substring(1)));
        }
    }

    /** A list's page cursor as the server writes one, from any parts: base64url of {@code seconds.nanos.id}. */
    private static String cursor(long seconds, int nanos, String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((seconds + "." + nanos + "." + id)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} percent-encoded where a query needs it. */
    private static String queryText(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String percentEncoded(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
