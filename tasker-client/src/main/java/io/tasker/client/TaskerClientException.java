package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.UUID;

/**
 * A request that did not get the answer it asked for: the server refused it ({@link #status()} is
 * the HTTP status, {@link #serverMessage()} what the server said to fix), the server could not be
 * reached ({@link #isUnreachable()}, status 0), or the answer could not be read.
 */
public final class TaskerClientException extends RuntimeException {
    private final int status;
    private final boolean unreachable;
    private final String serverMessage;
    private final transient JsonNode body;

    TaskerClientException(int status, boolean unreachable, String message, String serverMessage, JsonNode body,
                          Throwable cause) {
        super(message, cause);
        this.status = status;
        this.unreachable = unreachable;
        this.serverMessage = serverMessage;
        this.body = body;
    }

    /** The HTTP status the server answered, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** True when no connection could be made: nothing listens at the URL, or it did not answer in time. */
    public boolean isUnreachable() {
        return unreachable;
    }

    /** The server's {@code error} text as it sent it, or null when it sent none. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The server's JSON error body ({@code error}, {@code details}, ...), or null. */
    public JsonNode body() {
        return body;
    }

    /** On a {@code 409} for {@code POST /v1/tasks}: the task that has the same identity. */
    public Optional<UUID> existingTaskUuid() {
        JsonNode id = body == null ? null : body.get("existing_task_uuid");
        try {
            return id == null || !id.isTextual() ? Optional.empty() : Optional.of(UUID.fromString(id.asText()));
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }
}
