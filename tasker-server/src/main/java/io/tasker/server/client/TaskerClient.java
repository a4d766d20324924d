package io.tasker.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the Tasker REST API over {@code java.net.http}. Responses are read with the
 * project's JSON mapper, so big integers in results arrive exact. Every failure becomes a
 * {@link TaskerClientException} whose message is the server's explanation, or says that the
 * server is not there.
 */
public final class TaskerClient {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final HttpClient http;

    public TaskerClient(String baseUrl) {
        this.baseUrl = parse(baseUrl);
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** {@code POST /v1/tasks}: the created task, with its steps. */
    public JsonNode createTask(JsonNode request) {
        return send(HttpRequest.newBuilder(resolve("/v1/tasks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))));
    }

    /** {@code GET /v1/tasks/{id}}; the id is sent as given, so the server judges a malformed one. */
    public JsonNode getTask(String taskId) {
        return send(HttpRequest.newBuilder(resolve("/v1/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8)))
                .GET());
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new TaskerClientException(0, "cannot reach Tasker at " + baseUrl
                    + ": is `tasker dev` running? (or pass --url / set TASKER_URL)", null, e);
        } catch (IOException e) {
            throw new TaskerClientException(0, "request to Tasker at " + baseUrl + " failed: " + e, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskerClientException(0, "interrupted while waiting for Tasker at " + baseUrl, null, e);
        }
        JsonNode body = parseBody(response);
        if (response.statusCode() / 100 != 2) {
            throw new TaskerClientException(response.statusCode(), errorMessage(response.statusCode(), body), body, null);
        }
        if (body == null) {
            throw new TaskerClientException(response.statusCode(), "Tasker at " + baseUrl
                    + " answered " + response.statusCode() + " without a JSON body; is that URL a Tasker server?",
                    null, null);
        }
        return body;
    }

    private static JsonNode parseBody(HttpResponse<String> response) {
        try {
            return response.body().isBlank() ? null : Json.parse(response.body());
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /** The server's error, with the field problems on the same line: they are what to fix. */
    private static String errorMessage(int status, JsonNode body) {
        if (body == null || !body.path("error").isTextual()) {
            return "Tasker answered HTTP " + status;
        }
        List<String> parts = new ArrayList<>(List.of(body.get("error").asText()));
        body.path("details").forEach(d -> parts.add(d.path("field").asText() + ": " + d.path("message").asText()));
        return String.join("; ", parts) + " (HTTP " + status + ")";
    }

    private URI resolve(String path) {
        return URI.create(baseUrl + path);
    }

    private static URI parse(String url) {
        try {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new TaskerClientException(0, "the Tasker URL must look like " + DEFAULT_URL + ", got '" + url + "'",
                    null, e);
        }
    }
}
