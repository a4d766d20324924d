package io.tasker.server.api;

import io.javalin.http.Context;
import io.tasker.core.state.StepState;
import io.tasker.orchestration.TaskQueries;

import java.util.Set;

/** {@code GET /v1/steps}: steps across tasks, e.g. every step in error in a namespace. */
final class StepEndpoints {
    private static final Set<String> LIST_PARAMS = Set.of("namespace", "task_name", "name", "state", "limit",
            "cursor");

    private final TaskQueries queries;

    StepEndpoints(TaskQueries queries) {
        this.queries = queries;
    }

    void list(Context ctx) {
        QueryParams params = QueryParams.of(ctx, LIST_PARAMS);
        ctx.json(ApiJson.page("steps", queries.steps(params.text("namespace"), params.text("task_name"),
                params.text("name"), params.states("state", StepState.class, StepState::fromDb), params.limit(),
                params.cursor()), ApiJson::stepSummary));
    }
}
