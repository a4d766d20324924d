package io.tasker.client;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Which tasks {@link TaskerClient#listTasks} shows: every filter set must hold. For example
 * {@code TaskQuery.all().namespace("billing").states("error").limit(100)}.
 */
public final class TaskQuery extends ListQuery<TaskQuery> {
    private TaskQuery(Map<String, String> parameters) {
        super(parameters);
    }

    /** Every task, newest first. */
    public static TaskQuery all() {
        return new TaskQuery(Map.of());
    }

    public TaskQuery namespace(String namespace) {
        return with("namespace", namespace);
    }

    /** The template's name. */
    public TaskQuery name(String name) {
        return with("name", name);
    }

    /** Tasks in any of {@code states}, e.g. {@code "error", "in_progress"}; none for every state. */
    public TaskQuery states(String... states) {
        return with("state", states.length == 0 ? null : String.join(",", states));
    }

    public TaskQuery initiator(String initiator) {
        return with("initiator", initiator);
    }

    public TaskQuery correlationId(UUID correlationId) {
        return with("correlation_id", correlationId == null ? null : correlationId.toString());
    }

    /** Created at or after {@code from}. */
    public TaskQuery createdFrom(Instant from) {
        return with("created_from", from == null ? null : from.toString());
    }

    /** Created before {@code to}. */
    public TaskQuery createdTo(Instant to) {
        return with("created_to", to == null ? null : to.toString());
    }

    /** Tasks whose uuid starts with {@code prefix}: at least 4 hex digits, dashes allowed. */
    public TaskQuery idPrefix(String prefix) {
        return with("q", prefix);
    }

    @Override
    TaskQuery copy(Map<String, String> parameters) {
        return new TaskQuery(parameters);
    }
}
