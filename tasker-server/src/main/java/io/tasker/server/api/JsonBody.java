package io.tasker.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tasker.core.JsonLimits;
import io.tasker.core.internal.Json;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A request's JSON body, read so that whatever is wrong with it is the client's 400, never a 500. */
final class JsonBody {
    private static final Pattern QUOTED_VALUE = Pattern.compile("\"([-+0-9.eE]+)\"");

    private JsonBody() {}

    /**
     * The body's bytes, not decoded here: JSON is UTF-8 whatever charset a Content-Type names (RFC
     * 8259), and the parser refuses bytes that are not UTF-8 where decoding them to a String would
     * turn them into U+FFFD unseen (and an unknown charset name into a 500).
     */
    static byte[] bytes(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // Jetty's EofException (undeclared, through Kotlin) for a body that ends before its
            // Content-Length or last chunk; Javalin would take it for a client gone and answer 500.
            throw ApiError.badRequest("the request body could not be read: it ended before its Content-Length or "
                    + "its last chunk, or its chunked encoding is broken (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a body as sent: UTF-8 JSON (Jackson also recognizes UTF-16 and UTF-32 by their bytes)
     * holding an object; null for an empty body when {@code emptyAllowed}.
     *
     * @param example a body that would do, for the messages
     */
    static JsonNode object(byte[] bytes, String example, boolean emptyAllowed) {
        if (isBlank(bytes)) {
            if (emptyAllowed) {
                return null;
            }
            throw ApiError.badRequest("the request body is empty: send a JSON object such as " + example);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            var at = e instanceof JsonProcessingException json ? json.getLocation() : null;
            throw ApiError.badRequest("the request body is not valid JSON: " + message
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (NumberFormatException e) {
            // Jackson refuses an exponent beyond BigDecimal's (1e99999999999) this way, not as a parse error.
            throw ApiError.badRequest("the request body holds a number that cannot be stored: " + numberIn(e)
                    + "a number has at most " + JsonLimits.MAX_INTEGER_DIGITS + " digits before the decimal point and "
                    + JsonLimits.MAX_FRACTION_DIGITS + " after it");
        }
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object such as " + example);
        }
        return body;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The number Jackson names in its message ({@code Value "1e99999999999" can not be ...}), and a separator. */
    private static String numberIn(NumberFormatException e) {
        Matcher quoted = QUOTED_VALUE.matcher(String.valueOf(e.getMessage()));
        return quoted.find() && quoted.group(1).length() <= 60 ? quoted.group(1) + "; " : "";
    }
}
