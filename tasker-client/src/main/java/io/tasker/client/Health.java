package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static io.tasker.client.ClientJson.strings;
import static io.tasker.client.ClientJson.text;

/**
 * What a health probe answered.
 *
 * @param status   {@code ok}, {@code degraded} (serving, with {@code problems}) or {@code unavailable}
 * @param problems why it is degraded; empty otherwise
 * @param error    why it is unavailable, else null
 */
public record Health(String status, List<String> problems, String error) {

    /** True when the server can do work: {@code ok} or {@code degraded}. */
    public boolean isServing() {
        return "ok".equals(status) || "degraded".equals(status);
    }

    static Health from(JsonNode json) {
        return new Health(text(json, "status"), strings(json, "problems"), text(json, "error"));
    }
}
