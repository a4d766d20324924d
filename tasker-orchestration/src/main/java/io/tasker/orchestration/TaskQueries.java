package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Reads tasks, their steps and their history as clients and the web UI see them. */
public final class TaskQueries {
    private static final String TASKS = """
            select id, namespace, name, version, state, context::text as context, initiator, source_system, reason,
                   tags::text as tags, priority, correlation_id, created_at, updated_at, completed_at
              from tasker_tasks
            """;
    private static final String FIND = TASKS + """
             where id = ?
            """;
    /** Served by the index on (created_at desc, id desc), so it does not sort the whole table. */
    private static final String NEWEST_FIRST = """
             order by created_at desc, id desc
             limit ?
            """;
    private static final String RECENT = TASKS + NEWEST_FIRST;
    private static final String RECENT_IN_STATE = TASKS + """
             where state = ?
            """ + NEWEST_FIRST;

    /*
     * The task's steps are read once (materialized) and the parents are looked up among them, so
     * the plan stays a few index lookups whatever the table statistics say; joining edges to all
     * of tasker_steps invited a sequential scan of every step ever created.
     */
    private static final String STEPS = """
            with steps as materialized (
                select * from tasker_steps where task_id = ?
            )
            select s.id, s.name, s.handler_callable, s.state, s.attempts, s.max_attempts,
                   s.results::text as results, s.last_error::text as last_error,
                   s.next_attempt_at, s.created_at, s.updated_at, s.completed_at,
                   array(select parent.name
                           from tasker_step_edges e
                           join steps parent on parent.id = e.from_step_id
                          where e.to_step_id = s.id
                          order by parent.position) as depends_on
              from steps s
             order by s.position
            """;

    /**
     * Task and step transitions of one transaction share a timestamp, so within one the task's
     * start (to pending or in_progress) comes before its steps' changes and its conclusion after
     * them, which is the order they happen in.
     */
    private static final String HISTORY = """
            with steps as materialized (
                select id, name from tasker_steps where task_id = ?
            )
            select 'task' as subject, from_state, to_state, metadata::text as metadata, created_at,
                   case when to_state in ('pending', 'in_progress') then 0 else 2 end as phase, id
              from tasker_task_transitions
             where task_id = ?
            union all
            select s.name, t.from_state, t.to_state, t.metadata::text, t.created_at, 1, t.id
              from steps s
              join tasker_step_transitions t on t.step_id = s.id
             order by created_at, phase, id
            """;

    private final DataSource dataSource;

    public TaskQueries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The task with its steps in template order, or empty when there is no such task. */
    public Optional<TaskView> find(UUID taskId) {
        return Jdbc.withConnection(dataSource, c -> find(c, taskId));
    }

    /** The newest {@code limit} tasks, only those in {@code state} unless it is null; without their steps. */
    public List<TaskView> recent(int limit, TaskState state) {
        if (limit <= 0) {
            return List.of();
        }
        return Jdbc.withConnection(dataSource, c -> state == null
                ? Jdbc.query(c, RECENT, row -> task(row, List.of()), limit)
                : Jdbc.query(c, RECENT_IN_STATE, row -> task(row, List.of()), state.dbValue(), limit));
    }

    /** Every state change of the task and its steps, oldest first; empty for an unknown task. */
    public List<TransitionView> history(UUID taskId) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, HISTORY, row -> new TransitionView(
                row.getString("subject"),
                row.getString("from_state"),
                row.getString("to_state"),
                Json.parse(row.getString("metadata")),
                Jdbc.instant(row, "created_at")), taskId, taskId));
    }

    /** As {@link #find(UUID)}, in the caller's transaction, so a creator can return what it just wrote. */
    static Optional<TaskView> find(Connection connection, UUID taskId) throws SQLException {
        List<StepView> steps = Jdbc.query(connection, STEPS, TaskQueries::step, taskId);
        return Jdbc.queryOne(connection, FIND, row -> task(row, steps), taskId);
    }

    private static TaskView task(ResultSet row, List<StepView> steps) throws SQLException {
        return new TaskView(
                Jdbc.uuid(row, "id"),
                row.getString("namespace"),
                row.getString("name"),
                row.getString("version"),
                TaskState.fromDb(row.getString("state")),
                Json.parse(row.getString("context")),
                row.getString("initiator"),
                row.getString("source_system"),
                row.getString("reason"),
                tags(Json.parse(row.getString("tags"))),
                row.getInt("priority"),
                Jdbc.uuid(row, "correlation_id"),
                Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"),
                Jdbc.instant(row, "completed_at"),
                steps);
    }

    private static StepView step(ResultSet row) throws SQLException {
        return new StepView(
                Jdbc.uuid(row, "id"),
                row.getString("name"),
                row.getString("handler_callable"),
                StepState.fromDb(row.getString("state")),
                List.of((String[]) row.getArray("depends_on").getArray()),
                row.getInt("attempts"),
                row.getInt("max_attempts"),
                Json.parse(row.getString("results")),
                Json.parse(row.getString("last_error")),
                Jdbc.instant(row, "next_attempt_at"),
                Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"),
                Jdbc.instant(row, "completed_at"));
    }

    private static List<String> tags(JsonNode tags) {
        List<String> list = new ArrayList<>(tags.size());
        tags.forEach(tag -> list.add(tag.asText()));
        return List.copyOf(list);
    }
}
