package io.tasker.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Sends one request and reads its JSON answer, turning every way it can go wrong into a
 * {@link TaskerClientException} that says which: no connection, no answer in time, a refusal with
 * the server's message, or an answer that is not the API's.
 */
final class HttpTransport implements AutoCloseable {
    private final TaskerClientOptions options;
    private final HttpClient http;

    HttpTransport(TaskerClientOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
    }

    <T> T get(String path, Function<JsonNode, T> reader) {
        return send("GET", path, null, reader, Set.of());
    }

    /** A GET whose answer is read also when its status is one of {@code answered}, e.g. a 503 health report. */
    <T> T get(String path, Function<JsonNode, T> reader, Set<Integer> answered) {
        return send("GET", path, null, reader, answered);
    }

    <T> T post(String path, JsonNode body, Function<JsonNode, T> reader) {
        return send("POST", path, body, reader, Set.of());
    }

    private <T> T send(String method, String path, JsonNode body, Function<JsonNode, T> reader, Set<Integer> answered) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(options.baseUrl() + path))
                .timeout(options.requestTimeout())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
        }
        if (options.token() != null) {
            request.header("Authorization", "Bearer " + options.token());
        }
        HttpResponse<String> response = exchange(request.build(), method + " " + path);
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status / 100 != 2 && !answered.contains(status)) {
            throw refusal(status, json, method + " " + path);
        }
        if (json == null) {
            throw new TaskerClientException(status, false, "Tasker at " + options.baseUrl() + " answered " + method
                    + " " + path + " with HTTP " + status + " but no JSON; is that URL a Tasker server?",
                    null, null, null);
        }
        try {
            return reader.apply(json);
        } catch (RuntimeException e) {
            throw new TaskerClientException(status, false, "cannot read Tasker's answer to " + method + " " + path
                    + ": " + e.getMessage() + "; is the server a newer or older version than this client?",
                    null, json, e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new TaskerClientException(0, true, "cannot reach Tasker at " + options.baseUrl() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null, null, e);
        } catch (HttpTimeoutException e) {
            throw new TaskerClientException(0, false, "Tasker at " + options.baseUrl() + " did not answer " + what
                    + " within " + options.requestTimeout().toSeconds() + " s", null, null, e);
        } catch (IOException e) {
            throw new TaskerClientException(0, false, what + " to Tasker at " + options.baseUrl() + " failed: " + e,
                    null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskerClientException(0, false, "interrupted while waiting for Tasker at " + options.baseUrl(),
                    null, null, e);
        }
    }

    /** The server's error with the field problems on the same line: they are what to fix. */
    private TaskerClientException refusal(int status, JsonNode body, String what) {
        if (body == null || !body.path("error").isTextual()) {
            return new TaskerClientException(status, false, "Tasker at " + options.baseUrl() + " answered HTTP "
                    + status + " to " + what, null, body, null);
        }
        String error = body.get("error").asText();
        List<String> parts = new ArrayList<>(List.of(error));
        body.path("details").forEach(d -> parts.add(d.path("field").asText() + ": " + d.path("message").asText()));
        return new TaskerClientException(status, false, String.join("; ", parts) + " (HTTP " + status + ")", error,
                body, null);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ClientJson.MAPPER.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static String write(JsonNode body) {
        try {
            return ClientJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
