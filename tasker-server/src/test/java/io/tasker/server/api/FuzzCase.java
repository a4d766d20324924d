package io.tasker.server.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request the fuzzer sends: the bytes on the wire and, for the report, what was done to them.
 * {@code halfClose} shuts the sending side after the request (see {@link RawHttp#exchange}).
 */
record FuzzCase(Category category, String description, byte[] request, boolean halfClose) {
    private static final int PREVIEW_CHARS = 400;

    /** The ways of getting a request wrong, each with its share of the cases (in percent). */
    enum Category {
        /** A valid task request with fields removed, added, retyped or given values at the limits. */
        MUTATED_BODY(22),
        /** A random JSON document in place of a task request. */
        RANDOM_JSON(8),
        /** The text of a task request corrupted: truncated, characters flipped, JSON5-isms. */
        BROKEN_JSON(10),
        /** Invalid UTF-8 bytes in a body, a path, a query or a header. */
        INVALID_UTF8(10),
        /** A missing, wrong or malformed Content-Type; odd Accept, Authorization, Origin and Host headers. */
        HEADERS(7),
        /** Methods an endpoint does not take, made-up ones included. */
        METHOD(9),
        /** Bad task ids, traversal, encodings, long and odd paths. */
        PATH(11),
        /** Odd query parameters on every endpoint. */
        QUERY(9),
        /** Requests HTTP itself refuses: bad request lines, headers and framing. */
        MALFORMED_HTTP(7),
        /** Cancel, retry, resolve, complete and dead-letter requests, valid and mutated, on any ids. */
        OPERATOR_ACTION(7),
        /** Not generated: reading back what the cases created, which must answer 200. */
        READ_BACK(0);

        private final int percent;

        Category(int percent) {
            this.percent = percent;
        }

        int percent() {
            return percent;
        }
    }

    /** A well-framed request, built by {@link RawHttp#request}. */
    static FuzzCase http(Category category, String what, String method, String target, List<String> headers,
                         byte[] body) {
        String description = what + "\n    " + preview(method + " " + target) + headers.stream()
                .map(header -> "\n    " + preview(header)).reduce("", String::concat)
                + (body == null ? "" : "\n    body (" + body.length + " bytes): " + preview(body));
        return new FuzzCase(category, description, RawHttp.request(method, target, headers, body), false);
    }

    static FuzzCase http(Category category, String what, String method, String target, List<String> headers,
                         String body) {
        return http(category, what, method, target, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes sent as they are. */
    static FuzzCase raw(Category category, String what, byte[] request, boolean halfClose) {
        return new FuzzCase(category, what + "\n    bytes (" + request.length + "): " + preview(request), request,
                halfClose);
    }

    /** Text as the report shows it: control and non-ASCII bytes escaped, long text cut. */
    static String preview(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length && out.length() < PREVIEW_CHARS; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append(switch (b) {
                    case '\r' -> "\\r";
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    default -> String.format("\\x%02X", b);
                });
            }
        }
        return out.length() >= PREVIEW_CHARS ? out + "..." : out.toString();
    }

    static String preview(String text) {
        return preview(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
