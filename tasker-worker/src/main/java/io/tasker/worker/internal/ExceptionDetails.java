package io.tasker.worker.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.util.Arrays;

/**
 * How a thrown exception is stored with a failed step: its class, its message and the first stack
 * frames, enough to find the failing line without filling the database with deep stacks.
 */
final class ExceptionDetails {
    static final int BACKTRACE_FRAMES = 10;

    private ExceptionDetails() {}

    /** The exception's message, or its class name when it has none. */
    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    static ObjectNode of(Throwable e) {
        ObjectNode details = Json.MAPPER.createObjectNode()
                .put("exception_class", e.getClass().getName())
                .put("message", e.getMessage());
        ArrayNode backtrace = details.putArray("backtrace");
        Arrays.stream(e.getStackTrace()).limit(BACKTRACE_FRAMES).forEach(frame -> backtrace.add(frame.toString()));
        if (e.getCause() != null) {
            details.put("cause", e.getCause().toString());
        }
        return details;
    }
}
