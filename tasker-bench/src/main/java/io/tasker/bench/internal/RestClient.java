package io.tasker.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * The two REST calls the benchmarks make, over one keep-alive HTTP/1.1 connection as a typical
 * client would hold it.
 */
final class RestClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    RestClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** {@code POST /v1/tasks}; the new task's id. */
    UUID createTask(String namespace, String name, ObjectNode context) throws IOException, InterruptedException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("namespace", namespace).put("name", name);
        body.set("context", context);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tasks"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        JsonNode task = send(request, 201);
        return UUID.fromString(task.path("task_uuid").asText());
    }

    /** {@code GET /v1/tasks/{id}}; the task's state. */
    String taskState(UUID taskId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tasks/" + taskId))
                .timeout(TIMEOUT)
                .GET()
                .build();
        return send(request, 200).path("state").asText();
    }

    private JsonNode send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + " instead of " + expected + ": " + response.body());
        }
        return Json.parse(response.body());
    }
}
