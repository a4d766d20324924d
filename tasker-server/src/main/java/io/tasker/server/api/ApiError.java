package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.util.List;

/**
 * A request the API refuses, carrying the status and the JSON body that tell the client what to
 * fix: always {@code {"error": "..."}}, with {@code details} naming each bad field when there are
 * several.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final transient ObjectNode body;

    private ApiError(int status, String message, ObjectNode body) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** One problem with one field of a request; {@code field} is a path such as {@code $.even_number}. */
    record FieldProblem(String field, String message) {}

    static ApiError of(int status, String message) {
        return new ApiError(status, message, body(message));
    }

    static ApiError badRequest(String message) {
        return of(400, message);
    }

    static ApiError badRequest(String message, List<FieldProblem> details) {
        ObjectNode body = body(message);
        var array = body.putArray("details");
        details.forEach(problem -> array.addObject().put("field", problem.field()).put("message", problem.message()));
        return new ApiError(400, message, body);
    }

    static ApiError notFound(String message) {
        return of(404, message);
    }

    /** A conflict with an existing resource, whose id the body gives under {@code idField}. */
    static ApiError conflict(String message, String idField, String id) {
        ObjectNode body = body(message);
        body.put(idField, id);
        return new ApiError(409, message, body);
    }

    static ObjectNode body(String message) {
        return Json.MAPPER.createObjectNode().put("error", message);
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body;
    }
}
