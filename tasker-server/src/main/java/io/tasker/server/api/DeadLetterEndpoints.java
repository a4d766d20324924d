package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.core.JsonLimits;
import io.tasker.core.internal.Json;
import io.tasker.orchestration.DeadLetters;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/dlq}: the tasks the stale-task sweeper found stuck, to list, read and resolve. */
final class DeadLetterEndpoints {
    private static final Set<String> LIST_PARAMS = Set.of("resolved", "limit", "cursor");
    private static final int MAX_RESOLUTION_LENGTH = 1000;
    private static final String EXAMPLE = "{\"resolution\": \"cancelled the task: the order was withdrawn\"}";

    private final DeadLetters deadLetters;

    DeadLetterEndpoints(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    void list(Context ctx) {
        QueryParams params = QueryParams.of(ctx, LIST_PARAMS);
        String resolved = params.text("resolved");
        DeadLetters.Show show = switch (resolved == null ? "false" : resolved.toLowerCase(Locale.ROOT)) {
            case "false" -> DeadLetters.Show.OPEN;
            case "true" -> DeadLetters.Show.RESOLVED;
            case "all" -> DeadLetters.Show.ALL;
            default -> throw ApiError.badRequest("resolved must be false (the default), true or all, got '"
                    + resolved + "'");
        };
        ctx.json(ApiJson.page("entries", deadLetters.list(show, params.limit(), params.cursor()),
                ApiJson::deadLetter));
    }

    void get(Context ctx) {
        UUID id = entryId(ctx);
        ctx.json(ApiJson.deadLetter(deadLetters.find(id).orElseThrow(() -> notFound(id))));
    }

    void resolve(Context ctx) {
        UUID id = entryId(ctx);
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx), EXAMPLE, false);
        JsonNode resolution = body.get("resolution");
        if (body.size() != 1 || resolution == null || !resolution.isTextual() || resolution.asText().isBlank()
                || resolution.asText().length() > MAX_RESOLUTION_LENGTH
                || !JsonLimits.problems(resolution, "$.resolution").isEmpty()) {
            throw ApiError.badRequest("the body takes one field, resolution: what was done about the task, a string "
                    + "of 1 to " + MAX_RESOLUTION_LENGTH + " characters that PostgreSQL can store (no U+0000, no "
                    + "unpaired surrogate), e.g. " + EXAMPLE);
        }
        switch (deadLetters.resolve(id, Actor.of(ctx), resolution.asText())) {
            case DeadLetters.Resolution.Resolved resolved -> ctx.json(ApiJson.deadLetter(resolved.entry()));
            case DeadLetters.Resolution.NotFound notFound -> throw notFound(id);
            case DeadLetters.Resolution.AlreadyResolved already -> throw ApiError.conflict("dead letter " + id
                    + " was resolved already, by " + already.entry().resolvedBy() + " at "
                    + already.entry().resolvedAt(), "id", id.toString());
        }
    }

    void stats(Context ctx) {
        QueryParams.of(ctx, Set.of());
        DeadLetters.Stats stats = deadLetters.stats();
        ObjectNode json = Json.MAPPER.createObjectNode().put("open", stats.open()).put("resolved", stats.resolved());
        ObjectNode byState = json.putObject("open_by_task_state");
        stats.openByTaskState().forEach(byState::put);
        ctx.json(json);
    }

    private static UUID entryId(Context ctx) {
        return TaskEndpoints.pathId(ctx, "id", "the dead letter id");
    }

    private static ApiError notFound(UUID id) {
        return ApiError.notFound("no dead letter " + id + "; GET /v1/dlq lists the open ones");
    }
}
