package io.tasker.client;

import io.tasker.core.internal.Json;

/** A {@link Task} read from a JSON document a test builds, as the client reads the API's answer. */
public final class TaskDocuments {
    private TaskDocuments() {}

    public static Task task(String json) {
        return Task.from(Json.parse(json));
    }
}
