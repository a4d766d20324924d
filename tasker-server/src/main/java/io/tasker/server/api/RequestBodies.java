package io.tasker.server.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.eclipse.jetty.http.BadMessageException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * What a request body must be before a route reads it: JSON by its {@code Content-Type} (a form
 * or {@code text/plain} is what a browser sends cross-site without asking, so it is refused with
 * 415 rather than parsed), arriving without stalling (a body that stops for the body timeout is a
 * 408 and its connection closed, as is one that trickles in, so a client that sends half a body
 * holds a thread no longer), and
 * UTF-8, as JSON on the wire must be.
 */
final class RequestBodies {
    /**
     * The slowest a body may arrive, on average from its first byte: far below any real link, so it
     * only ends a client that keeps a connection busy by trickling a byte now and then.
     */
    static final long MIN_BYTES_PER_SECOND = 1024;
    private static final Set<HandlerType> WITH_BODY = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH);
    private static final String JSON = "application/json";

    private final Duration timeout;

    RequestBodies(Duration timeout) {
        this.timeout = timeout;
    }

    void check(Context ctx) {
        if (!WITH_BODY.contains(ctx.method()) || !announcesBody(ctx)) {
            return;
        }
        String type = ctx.header("Content-Type");
        if (type == null || !type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals(JSON)) {
            throw ApiError.of(415, "the request body must be JSON, sent with Content-Type: " + JSON + (type == null
                    ? "; the request has no Content-Type" : ", not " + type));
        }
        byte[] body = read(ctx);
        if (body != null) {
            requireUtf8(body);
        }
    }

    private static boolean announcesBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    /**
     * Reads the body, which the context keeps for the route. A body that fails to arrive for
     * another reason (it ends early, its chunks are broken) is left for the route to report as it
     * reads it.
     */
    private byte[] read(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (BadMessageException e) {
            // Jetty's verdict on a body slower than the minimum rate.
            if (e.getCode() == 408) {
                throw timedOut(ctx, "it arrives slower than " + MIN_BYTES_PER_SECOND + " bytes a second");
            }
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            if (causedByTimeout(e)) {
                throw timedOut(ctx, "nothing came for " + timeout.toSeconds() + " s");
            }
            return null;
        }
    }

    private static boolean causedByTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static ApiError timedOut(Context ctx, String why) {
        ctx.header("Connection", "close");
        return ApiError.of(408, "the request body did not arrive: " + why + "; send the whole body with the request");
    }

    /** Refuses bytes that are not UTF-8, naming the first bad one, without decoding the whole body at once. */
    private static void requireUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw ApiError.badRequest(String.format("the request body is not valid JSON: it is not UTF-8 "
                        + "(byte 0x%02X at offset %d); send JSON encoded as UTF-8", body[in.position()] & 0xff,
                        in.position()));
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }
}
