package io.tasker.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.Ids;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Inserts tasks and steps with plain SQL, so state and queue tests need neither templates nor
 * task creation. Every call commits on its own.
 */
public final class TaskRows {
    public static final String HANDLER = "test.Handler";
    public static final int MAX_ATTEMPTS = 3;

    private TaskRows() {}

    /** A task in {@code state}, with its own template in {@code namespace} (created if new). */
    public static UUID task(DataSource dataSource, String namespace, TaskState state) {
        UUID taskId = Ids.newId();
        UUID templateId = Ids.newId();
        Jdbc.inTransaction(dataSource, c -> {
            Jdbc.update(c, "insert into tasker_namespaces (name) values (?) on conflict do nothing", namespace);
            Jdbc.update(c, """
                    insert into tasker_templates (id, namespace, name, version, version_major, version_minor,
                                                  version_patch, content_hash, definition)
                    values (?, ?, ?, '1.0.0', 1, 0, 0, 'test', '{}')
                    """, templateId, namespace, "template_" + taskId);
            return Jdbc.update(c, """
                    insert into tasker_tasks (id, template_id, namespace, name, version, state, identity_hash)
                    values (?, ?, ?, ?, '1.0.0', ?, ?)
                    """, taskId, templateId, namespace, "template_" + taskId, state.dbValue(), taskId.toString());
        });
        return taskId;
    }

    /** {@code count} steps of a task in {@code namespace} and {@code state}, ids in insertion order. */
    public static List<UUID> steps(DataSource dataSource, UUID taskId, String namespace, StepState state, int count) {
        List<UUID> ids = IntStream.range(0, count).mapToObj(i -> Ids.newId()).toList();
        Jdbc.inTransaction(dataSource, c -> Jdbc.update(c, """
                insert into tasker_steps (id, task_id, position, name, namespace, handler_callable, state,
                                          max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_seconds)
                select id, ?, position, 'step_' || id, ?, ?, ?, ?, true, 1000, 60000, 30
                  from unnest(?) with ordinality as step (id, position)
                """, taskId, namespace, HANDLER, state.dbValue(), MAX_ATTEMPTS, Jdbc.uuidArray(ids)));
        return ids;
    }

    /** A task in {@code in_progress} with {@code count} steps in {@code state}, all in {@code namespace}. */
    public static List<UUID> steps(DataSource dataSource, String namespace, StepState state, int count) {
        return steps(dataSource, task(dataSource, namespace, TaskState.IN_PROGRESS), namespace, state, count);
    }

    /** One row of a transition history. */
    public record Transition(String from, String to, JsonNode metadata) {}

    public static List<Transition> taskHistory(DataSource dataSource, UUID taskId) {
        return history(dataSource, "select from_state, to_state, metadata::text from tasker_task_transitions"
                + " where task_id = ? order by id", taskId);
    }

    public static List<Transition> stepHistory(DataSource dataSource, UUID stepId) {
        return history(dataSource, "select from_state, to_state, metadata::text from tasker_step_transitions"
                + " where step_id = ? order by id", stepId);
    }

    /** Every step transition ever recorded in the database. */
    public static List<Transition> allStepHistory(DataSource dataSource) {
        return history(dataSource, "select from_state, to_state, metadata::text from tasker_step_transitions order by id");
    }

    public static String taskState(DataSource dataSource, UUID taskId) {
        return column(dataSource, "select state from tasker_tasks where id = ?", taskId);
    }

    public static String stepState(DataSource dataSource, UUID stepId) {
        return column(dataSource, "select state from tasker_steps where id = ?", stepId);
    }

    private static List<Transition> history(DataSource dataSource, String sql, Object... params) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, sql,
                row -> new Transition(row.getString(1), row.getString(2), Json.parse(row.getString(3))), params));
    }

    private static String column(DataSource dataSource, String sql, UUID id) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, sql, row -> row.getString(1), id)).orElseThrow();
    }
}
