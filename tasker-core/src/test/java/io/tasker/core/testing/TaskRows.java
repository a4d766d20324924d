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
 * task creation. Every call commits on its own. What it writes is arranged, not done by the
 * engine, so it bypasses the {@link StateChanges} log (and the foreign-key triggers with it).
 */
public final class TaskRows {
    public static final String HANDLER = "test.Handler";
    public static final int MAX_ATTEMPTS = 3;

    private TaskRows() {}

    /** A task in {@code state}, with its own template in {@code namespace} (created if new). */
    public static UUID task(DataSource dataSource, String namespace, TaskState state) {
        UUID taskId = Ids.newId();
        UUID templateId = Ids.newId();
        arrange(dataSource, c -> {
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

    /**
     * {@code count} independent steps of a task in {@code namespace} and {@code state}, ids in
     * insertion order; an enqueued step has its enqueue time. Positions follow those the task has.
     */
    public static List<UUID> steps(DataSource dataSource, UUID taskId, String namespace, StepState state, int count) {
        List<UUID> ids = IntStream.range(0, count).mapToObj(i -> Ids.newId()).toList();
        arrange(dataSource, c -> Jdbc.update(c, """
                insert into tasker_steps (id, task_id, position, name, namespace, handler_callable, state,
                                          max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_seconds,
                                          enqueued_at)
                select id, ?, (select coalesce(max(position), 0) from tasker_steps where task_id = ?) + position,
                       'step_' || id, ?, ?, ?, ?, true, 1000, 60000, 30, case when ? then now() end
                  from unnest(?) with ordinality as step (id, position)
                """, taskId, taskId, namespace, HANDLER, state.dbValue(), MAX_ATTEMPTS,
                state == StepState.ENQUEUED, Jdbc.uuidArray(ids)));
        return ids;
    }

    /**
     * Makes {@code child} depend on {@code parents}: the DAG as the step rows hold it (positions),
     * with the child waiting for those parents that are not complete.
     */
    public static void dependsOn(DataSource dataSource, UUID child, List<UUID> parents) {
        arrange(dataSource, c -> {
            Jdbc.update(c, """
                    update tasker_steps s
                       set parents = (select array_agg(p.position order by p.position) from tasker_steps p
                                       where p.id = any(?)),
                           parents_pending = (select count(*) from tasker_steps p
                                               where p.id = any(?) and p.state not in ('complete', 'resolved_manually'))
                     where s.id = ?
                    """, Jdbc.uuidArray(parents), Jdbc.uuidArray(parents), child);
            Jdbc.update(c, """
                    update tasker_steps p
                       set children = (select array_agg(distinct x order by x)
                                         from unnest(p.children || (select position from tasker_steps where id = ?)) x)
                     where p.id = any(?)
                    """, child, Jdbc.uuidArray(parents));
            // Ancestors: the parents and everything they descend from, in one task.
            return Jdbc.update(c, """
                    with recursive up (position) as (
                        select p.position from tasker_steps p where p.id = any(?)
                        union
                        select unnest(s.parents) from up join tasker_steps s
                          on s.task_id = (select task_id from tasker_steps where id = ?) and s.position = up.position
                    )
                    update tasker_steps set ancestors = (select array_agg(position order by position) from up)
                     where id = ?
                    """, Jdbc.uuidArray(parents), child, child);
        });
    }

    /** A task in {@code in_progress} with {@code count} steps in {@code state}, all in {@code namespace}. */
    public static List<UUID> steps(DataSource dataSource, String namespace, StepState state, int count) {
        return steps(dataSource, task(dataSource, namespace, TaskState.IN_PROGRESS), namespace, state, count);
    }

    /** One row of a task's history. */
    public record Transition(String from, String to, JsonNode metadata) {}

    public static List<Transition> taskHistory(DataSource dataSource, UUID taskId) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, "select from_state, to_state, metadata::text "
                + "from tasker_task_transitions where task_id = ? order by id",
                row -> new Transition(row.getString(1), row.getString(2), Json.parse(row.getString(3))), taskId));
    }

    /** An attempt that did not end its step, as the history keeps it. */
    public record Attempt(int attempt, String worker, String outcome, String reason, boolean started) {}

    public static List<Attempt> attempts(DataSource dataSource, UUID stepId) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, """
                select attempt, worker_id, outcome, reason, started_at is not null as started
                  from tasker_step_attempts where step_id = ? order by ended_at, attempt
                """, row -> new Attempt(row.getInt(1), row.getString(2), row.getString(3), row.getString(4),
                row.getBoolean(5)), stepId));
    }

    /** Runs {@code sql} as arranged state, outside the {@link StateChanges} log. */
    public static int arrange(DataSource dataSource, String sql, Object... params) {
        return arrange(dataSource, c -> Jdbc.update(c, sql, params));
    }

    private static <T> T arrange(DataSource dataSource, Jdbc.Work<T> work) {
        return Jdbc.inTransaction(dataSource, c -> {
            Jdbc.update(c, "set local session_replication_role = replica");
            return work.run(c);
        });
    }

    public static String taskState(DataSource dataSource, UUID taskId) {
        return column(dataSource, "select state from tasker_tasks where id = ?", taskId);
    }

    public static String stepState(DataSource dataSource, UUID stepId) {
        return column(dataSource, "select state from tasker_steps where id = ?", stepId);
    }

    private static String column(DataSource dataSource, String sql, UUID id) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, sql, row -> row.getString(1), id)).orElseThrow();
    }
}
