package io.tasker.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.TaskerException;

/**
 * A request the Tasker API refused or could not be sent. {@code status} is the HTTP status, or 0
 * when the server could not be reached; {@code body} is the server's JSON error, or null.
 */
public final class TaskerClientException extends TaskerException {
    private final int status;
    private final transient JsonNode body;

    TaskerClientException(int status, String message, JsonNode body, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body;
    }

    public int status() {
        return status;
    }

    public JsonNode body() {
        return body;
    }
}
