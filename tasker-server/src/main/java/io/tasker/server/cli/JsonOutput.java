package io.tasker.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

import java.io.PrintWriter;
import java.util.List;

/** {@code --output json}: the API's documents, indented, numbers as the server sent them. */
final class JsonOutput {
    private JsonOutput() {}

    static void print(PrintWriter out, JsonNode json) {
        try {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot print the answer as JSON", e);
        }
        out.flush();
    }

    /**
     * A list as the API answers a page of it, {@code {"tasks": [...], "next_cursor": ...}}; for
     * {@code --all}, every page's items under one key and no cursor.
     */
    static void printList(PrintWriter out, String field, List<JsonNode> items, String nextCursor) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.putArray(field).addAll(items);
        json.put("next_cursor", nextCursor);
        print(out, json);
    }
}
