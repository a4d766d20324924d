package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.core.internal.Json;
import io.tasker.core.state.TaskState;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.Page;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskFilter;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskSummary;
import io.tasker.orchestration.TaskView;
import io.tasker.orchestration.UnservedSteps;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/tasks}: create tasks, read one with its steps, list them, read a history. */
final class TaskEndpoints {
    private static final Set<String> LIST_PARAMS = Set.of("namespace", "name", "state", "initiator",
            "correlation_id", "created_from", "created_to", "q", "limit", "cursor");

    private final TaskCreator creator;
    private final TaskQueries queries;
    private final UnservedSteps unserved;

    TaskEndpoints(TaskCreator creator, TaskQueries queries, UnservedSteps unserved) {
        this.creator = creator;
        this.queries = queries;
        this.unserved = unserved;
    }

    void create(Context ctx) {
        CreateTaskResult result = creator.create(TaskRequestBody.parse(JsonBody.bytes(ctx)));
        switch (result) {
            case CreateTaskResult.Created created -> {
                TaskView task = created.task();
                Map<UUID, String> notes = unserved.of(task);
                ObjectNode json = ApiJson.task(task, notes);
                ArrayNode warnings = json.putArray("warnings");
                UnservedSteps.warnings(task, notes).forEach(warnings::add);
                ctx.status(201).header("Location", "/v1/tasks/" + task.id()).json(json);
            }
            case CreateTaskResult.Duplicate duplicate -> throw ApiError.conflict(
                    "a task with the same identity already exists: " + duplicate.existingTaskId()
                            + "; GET /v1/tasks/" + duplicate.existingTaskId() + " to follow it (the template's "
                            + "identity_strategy decides which requests are the same task)",
                    "existing_task_uuid", duplicate.existingTaskId().toString());
        }
    }

    void get(Context ctx) {
        UUID id = taskId(ctx);
        TaskView task = find(id);
        ctx.json(ApiJson.task(task, unserved.of(task)));
    }

    void list(Context ctx) {
        QueryParams params = QueryParams.of(ctx, LIST_PARAMS);
        TaskFilter filter = new TaskFilter(params.text("namespace"), params.text("name"),
                params.states("state", TaskState.class, TaskState::fromDb), params.text("initiator"),
                params.uuid("correlation_id"), params.instant("created_from"), params.instant("created_to"),
                params.idPrefix("q"));
        Page<TaskSummary> page = queries.list(filter, params.limit(), params.cursor());
        Instant now = Instant.now();
        ctx.json(ApiJson.page("tasks", page, summary -> ApiJson.listItem(summary, now)));
    }

    void transitions(Context ctx) {
        UUID id = taskId(ctx);
        var history = queries.history(id);
        if (history.isEmpty()) {
            find(id);
        }
        ObjectNode json = Json.MAPPER.createObjectNode().put("task_uuid", id.toString());
        var array = json.putArray("transitions");
        history.forEach(transition -> array.add(ApiJson.transition(transition)));
        ctx.json(json);
    }

    private TaskView find(UUID id) {
        return queries.find(id).orElseThrow(() -> ApiError.notFound("no task " + id
                + "; GET /v1/tasks lists the recent ones"));
    }

    static UUID taskId(Context ctx) {
        return pathId(ctx, "uuid", "the task id");
    }

    /** A uuid in the path; a malformed one is the client's 400. */
    static UUID pathId(Context ctx, String param, String what) {
        try {
            return UuidText.parse(ctx.pathParam(param), what);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }
}
