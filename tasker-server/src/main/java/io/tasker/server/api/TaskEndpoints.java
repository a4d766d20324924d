package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.core.internal.Json;
import io.tasker.core.state.TaskState;
import io.tasker.orchestration.CreateTaskResult;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskView;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** {@code /v1/tasks}: create tasks, read one with its steps, list recent ones, read a history. */
final class TaskEndpoints {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final TaskCreator creator;
    private final TaskQueries queries;

    TaskEndpoints(TaskCreator creator, TaskQueries queries) {
        this.creator = creator;
        this.queries = queries;
    }

    void create(Context ctx) {
        CreateTaskResult result = creator.create(TaskRequestBody.parse(ctx.body()));
        switch (result) {
            case CreateTaskResult.Created created -> {
                String location = "/v1/tasks/" + created.task().id();
                ctx.status(201).header("Location", location).json(ApiJson.task(created.task()));
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
        ctx.json(ApiJson.task(find(id)));
    }

    void list(Context ctx) {
        List<TaskView> tasks = queries.recent(limit(ctx), state(ctx));
        ObjectNode json = Json.MAPPER.createObjectNode();
        var array = json.putArray("tasks");
        tasks.forEach(task -> array.add(ApiJson.taskSummary(task)));
        ctx.json(json);
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

    private static UUID taskId(Context ctx) {
        try {
            return UuidText.parse(ctx.pathParam("uuid"), "the task id");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw ApiError.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'");
    }

    private static TaskState state(Context ctx) {
        String text = ctx.queryParam("state");
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return TaskState.fromDb(text.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("state must be one of " + String.join(", ",
                    Arrays.stream(TaskState.values()).map(TaskState::dbValue).toList()) + ", got '" + text + "'");
        }
    }
}
