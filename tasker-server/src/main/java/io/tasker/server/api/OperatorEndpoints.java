package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tasker.core.JsonLimits;
import io.tasker.orchestration.OperatorActions;
import io.tasker.orchestration.OperatorActions.Outcome;
import io.tasker.orchestration.UnservedSteps;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An operator's actions: cancel a task ({@code POST /v1/tasks/{uuid}/cancel}, or
 * {@code DELETE /v1/tasks/{uuid}}), and retry, resolve or complete a step in error
 * ({@code POST /v1/tasks/{uuid}/steps/{step_uuid}/retry|resolve|complete}). Each answers with the
 * task as it is afterwards, or 409 when its state does not allow the action.
 */
final class OperatorEndpoints {
    private static final int MAX_REASON_LENGTH = 1000;
    private static final Set<String> REASON_ONLY = Set.of("reason");
    private static final Set<String> RESULT_AND_REASON = Set.of("result", "reason");

    /** What an action's body says. */
    private record ActionBody(String reason, JsonNode result) {}

    private final OperatorActions actions;
    private final UnservedSteps unserved;

    OperatorEndpoints(OperatorActions actions, UnservedSteps unserved) {
        this.actions = actions;
        this.unserved = unserved;
    }

    void cancel(Context ctx) {
        UUID task = TaskEndpoints.taskId(ctx);
        ActionBody body = ctx.method().name().equals("DELETE") ? new ActionBody(null, null) : body(ctx, false);
        answer(ctx, actions.cancelTask(task, Actor.of(ctx), body.reason()));
    }

    void retry(Context ctx) {
        ActionBody body = body(ctx, false);
        answer(ctx, actions.retryStep(TaskEndpoints.taskId(ctx), stepId(ctx), Actor.of(ctx), body.reason()));
    }

    void resolve(Context ctx) {
        ActionBody body = body(ctx, false);
        answer(ctx, actions.resolveStep(TaskEndpoints.taskId(ctx), stepId(ctx), Actor.of(ctx), body.reason()));
    }

    void complete(Context ctx) {
        ActionBody body = body(ctx, true);
        answer(ctx, actions.completeStep(TaskEndpoints.taskId(ctx), stepId(ctx), body.result(), Actor.of(ctx),
                body.reason()));
    }

    private void answer(Context ctx, Outcome outcome) {
        switch (outcome) {
            case Outcome.Done done -> ctx.json(ApiJson.task(done.task(), unserved.of(done.task())));
            case Outcome.NotFound notFound -> throw ApiError.notFound(notFound.message());
            case Outcome.Conflict conflict -> throw ApiError.conflict(conflict.message(), "state", conflict.state());
        }
    }

    private static UUID stepId(Context ctx) {
        return TaskEndpoints.pathId(ctx, "step_uuid", "the step id");
    }

    /** {@code {reason?}}, or {@code {result, reason?}} when completing; no body is no reason. */
    private static ActionBody body(Context ctx, boolean needsResult) {
        String example = needsResult ? "{\"result\": {\"value\": 42}, \"reason\": \"computed by hand\"}"
                : "{\"reason\": \"the payment provider is back\"}";
        JsonNode body = JsonBody.object(JsonBody.bytes(ctx), example, !needsResult);
        if (body == null) {
            return new ActionBody(null, null);
        }
        Set<String> fields = needsResult ? RESULT_AND_REASON : REASON_ONLY;
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiError.badRequest("unknown field" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + "; the body takes " + String.join(", ", new TreeSet<>(fields)) + ", e.g. " + example);
        }
        JsonNode reason = body.get("reason");
        if (reason != null && !reason.isNull() && (!reason.isTextual() || reason.asText().length() > MAX_REASON_LENGTH)) {
            throw ApiError.badRequest("reason must be a string of at most " + MAX_REASON_LENGTH + " characters");
        }
        JsonNode result = body.get("result");
        if (needsResult && result == null) {
            throw ApiError.badRequest("result is required: the step's result as its children will see it, e.g. "
                    + example);
        }
        // What the database could not store, in the result or the reason, is the client's to fix.
        for (JsonLimits.Problem problem : JsonLimits.problems(body, "$")) {
            throw ApiError.badRequest(problem.path().substring(2) + ": " + problem.message());
        }
        return new ActionBody(reason == null || reason.isNull() ? null : reason.asText(), result);
    }
}
