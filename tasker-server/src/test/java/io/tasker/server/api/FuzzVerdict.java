package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer must be, whatever was asked: an answer (not a dropped connection or silence),
 * below 500, with nothing of the server's insides in it, and, when it says it is JSON, JSON that
 * is an {@code {"error": ...}} for an error.
 *
 * <p>A step's recorded error is data, not the server's insides: a failed handler's error holds its
 * exception's class, first backtrace lines and cause ({@code error_type}, {@code exception_class},
 * {@code backtrace}, {@code cause}; see docs/ruby-worker.md), which a task's view and history show
 * on purpose. Those fields of a successful JSON answer are not searched for stack traces;
 * everything else is.
 */
final class FuzzVerdict {
    /** A stack frame, a chained cause, or an exception's class name. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\bat [\\w$]+(?:\\.[\\w$<>]+)+\\((?:[\\w$]+\\.(?:java|kt):\\d+|Native Method|Unknown Source)\\)"
                    + "|\\bCaused by: "
                    + "|\\b[a-z][\\w$]*(?:\\.[a-z][\\w$]*)+\\.[A-Z][\\w$]*(?:Exception|Error)\\b");
    /**
     * A class of the JDK or a library named in an error: an implementation detail (a parser's
     * message passed on) the client cannot act on. Successful answers may name classes, as a
     * template's handlers are.
     */
    private static final Pattern LIBRARY_CLASS = Pattern.compile(
            "\\b(?:java|javax|jakarta|sun|kotlin|com\\.fasterxml|com\\.networknt|com\\.zaxxer|org\\.eclipse"
                    + "|io\\.javalin|org\\.postgresql)\\.(?:[\\w$]+\\.)*[A-Z][\\w$]*");
    private static final List<String> RECORDED_ERROR_FIELDS = List.of("error_type", "exception_class", "backtrace",
            "cause");
    private static final int EXCERPT_CHARS = 300;

    private FuzzVerdict() {}

    /** What is wrong with {@code response} to {@code request}; empty when nothing is. */
    static List<String> problems(byte[] request, RawHttp.Response response) {
        List<String> problems = new ArrayList<>();
        if (response.status() <= 0) {
            problems.add(response.failure());
            return problems;
        }
        List<String> requestLine = RawHttp.requestLine(request);
        boolean head = !requestLine.isEmpty() && requestLine.getFirst().equals("HEAD");
        int status = response.status();
        if (status >= 500 && !(status == 505 && unsupportedVersion(requestLine))) {
            problems.add("answered " + status + ": " + excerpt(response.bodyText()));
        }
        String contentType = response.header("Content-Type");
        JsonNode json = null;
        if (!head && contentType != null && contentType.startsWith("application/json")) {
            try {
                json = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                problems.add("a JSON answer that is not JSON: " + excerpt(response.bodyText()));
            }
            if (status >= 400 && json != null && !json.path("error").isTextual()) {
                problems.add("an error without an \"error\" text: " + excerpt(response.bodyText()));
            }
        }
        String body = json != null && status < 400 ? withoutRecordedErrors(json.deepCopy()).toString()
                : response.bodyText();
        String text = response.head() + "\n" + body;
        find(STACK_TRACE, text).ifPresent(found -> problems.add("a stack trace in the answer: " + found));
        if (status >= 400) {
            find(LIBRARY_CLASS, text)
                    .ifPresent(found -> problems.add("an internal class named in the answer: " + found));
        }
        return problems;
    }

    /**
     * A request line without HTTP/1.0 or HTTP/1.1 at its end (HTTP/0.9, 2.0 in HTTP/1 syntax, 9.9):
     * for it RFC 9110 (15.6.6) prescribes 505, a 5xx that says the client spoke the wrong protocol.
     */
    static boolean unsupportedVersion(List<String> requestLine) {
        String version = requestLine.size() == 3 ? requestLine.get(2) : "";
        return !version.equals("HTTP/1.1") && !version.equals("HTTP/1.0");
    }

    private static JsonNode withoutRecordedErrors(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(RECORDED_ERROR_FIELDS);
        }
        node.forEach(FuzzVerdict::withoutRecordedErrors);
        return node;
    }

    private static Optional<String> find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        int from = Math.max(0, matcher.start() - 60);
        return Optional.of(excerpt(text.substring(from, Math.min(text.length(), matcher.end() + 60))));
    }

    static String excerpt(String text) {
        String line = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        return line.length() <= EXCERPT_CHARS ? line : line.substring(0, EXCERPT_CHARS) + "... (" + text.length()
                + " chars)";
    }
}
