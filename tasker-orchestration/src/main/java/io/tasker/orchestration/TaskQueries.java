package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** Reads tasks, their steps and their history as clients and the web UI see them. */
public final class TaskQueries {
    /** The task and its steps in one statement, so from one snapshot (see {@code tasker_task_document}). */
    private static final String FIND = "select tasker_task_document(?)::text";

    /**
     * A page of tasks, newest first through the index on (created_at desc, id desc), filtered as
     * it goes (the filters come in where {@code %s} is); each with its step counts and, in error,
     * its most recently failed step.
     */
    private static final String TASK_PAGE = """
            select t.id, t.namespace, t.name, t.version, t.state, t.context::text as context, t.initiator,
                   t.source_system, t.reason, t.tags::text as tags, t.priority, t.correlation_id, t.created_at,
                   t.updated_at, t.completed_at,
                   (select jsonb_object_agg(c.state, c.n)::text
                      from (select s.state, count(*) as n from tasker_steps s where s.task_id = t.id group by s.state) c
                   ) as step_counts,
                   (select jsonb_build_object('step_name', s.name, 'step_uuid', s.id,
                                              'message', s.last_error ->> 'message',
                                              'error_type', s.last_error ->> 'error_type')::text
                      from tasker_steps s
                     where t.state = 'error' and s.task_id = t.id and s.state = 'error'
                     order by s.updated_at desc limit 1
                   ) as last_error
              from tasker_tasks t
             where (t.created_at, t.id) < (?, ?)%s
             order by t.created_at desc, t.id desc
             limit ?
            """;

    /** Steps across tasks, most recently changed first; an error filter uses its partial index. */
    private static final String STEP_PAGE = """
            select s.id, s.task_id, s.namespace, t.name as task_name, s.name, s.state, s.attempts, s.max_attempts,
                   s.last_error::text as last_error, s.updated_at
              from tasker_steps s
              join tasker_tasks t on t.id = s.task_id
             where (s.updated_at, s.id) < (?, ?)%s
             order by s.updated_at desc, s.id desc
             limit ?
            """;


    private static final String HISTORY_TASK = """
            select created_at, state from tasker_tasks where id = ?
            """;
    private static final String HISTORY_TASK_CHANGES = """
            select from_state, to_state, metadata::text as metadata, created_at
              from tasker_task_transitions
             where task_id = ?
             order by id
            """;
    /**
     * A step a decision created was ready at once when its first wait in the queue began as it was
     * created (its first attempt's, when it was retried since).
     */
    private static final String HISTORY_STEPS = """
            select s.id, s.name, s.state,
                   cardinality(s.parents) = 0
                       or (s.created_by is not null
                           and coalesce((select min(a.enqueued_at) from tasker_step_attempts a
                                          where a.task_id = s.task_id and a.step_id = s.id), s.enqueued_at)
                               = s.created_at) as ready,
                   (select d.name from tasker_steps d
                     where s.created_by is not null and d.task_id = s.task_id and d.position = s.created_by)
                       as created_by,
                   s.attempts, s.claimed_by, s.created_at, s.enqueued_at, s.claimed_at,
                   coalesce(s.completed_at, s.updated_at) as ended_at, s.last_error::text as last_error,
                   s.result_metadata::text as result_metadata
              from tasker_steps s
             where s.task_id = ?
             order by s.position
            """;
    private static final String HISTORY_ATTEMPTS = """
            select step_id, attempt, worker_id, enqueued_at, started_at, ended_at, outcome, reason,
                   error::text as error, metadata::text as metadata
              from tasker_step_attempts
             where task_id = ?
             order by ended_at, attempt
            """;

    private final DataSource dataSource;

    public TaskQueries(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The task with its steps in template order, or empty when there is no such task. */
    public Optional<TaskView> find(UUID taskId) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, FIND, row -> row.getString(1), taskId)).stream()
                .filter(Objects::nonNull).findFirst().map(TaskQueries::fromDocument);
    }

    /**
     * Up to {@code limit} tasks that {@code filter} lets through, newest first, starting after
     * {@code after} (null: the first page); without their steps.
     */
    public Page<TaskSummary> list(TaskFilter filter, int limit, PageCursor after) {
        Filters where = new Filters("t.");
        where.equal("namespace", filter.namespace());
        where.equal("name", filter.name());
        where.anyOf("state", filter.states().stream().map(TaskState::dbValue).toList());
        where.equal("initiator", filter.initiator());
        where.equal("correlation_id", filter.correlationId());
        where.compare("created_at", ">=", filter.createdFrom());
        where.compare("created_at", "<", filter.createdTo());
        if (filter.idPrefix() != null) {
            where.add("t.id::text like ?", filter.idPrefix() + "%");
        }
        return page(TASK_PAGE, where, limit, after, row -> new TaskSummary(task(row), counts(row),
                Json.parse(row.getString("last_error"))), summary -> new PageCursor(summary.task().createdAt(),
                summary.task().id()));
    }

    /**
     * Up to {@code limit} steps across tasks, most recently changed first, starting after
     * {@code after}; a null filter or an empty {@code states} does not filter.
     */
    public Page<StepSummary> steps(String namespace, String taskName, String name, List<StepState> states, int limit,
                                   PageCursor after) {
        Filters where = new Filters("s.");
        where.equal("namespace", namespace);
        where.equal("name", name);
        where.anyOf("state", states.stream().map(StepState::dbValue).toList());
        if (taskName != null) {
            where.add("t.name = ?", taskName);
        }
        return page(STEP_PAGE, where, limit, after, row -> new StepSummary(Jdbc.uuid(row, "id"),
                Jdbc.uuid(row, "task_id"), row.getString("namespace"), row.getString("task_name"), row.getString("name"),
                row.getString("state"), row.getInt("attempts"), row.getInt("max_attempts"),
                Json.parse(row.getString("last_error")), Jdbc.instant(row, "updated_at")),
                step -> new PageCursor(step.updatedAt(), step.stepId()));
    }

    /** Reads one more row than asked for, to know whether there is a next page. */
    private <T> Page<T> page(String sql, Filters where, int limit, PageCursor after, Jdbc.RowMapper<T> mapper,
                             Function<T, PageCursor> cursorOf) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        PageCursor from = after == null ? PageCursor.FIRST : after;
        List<Object> params = new ArrayList<>(List.of(from.at(), from.id()));
        params.addAll(where.params);
        params.add(limit + 1);
        List<T> rows = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, sql.formatted(where.sql()), mapper,
                params.toArray()));
        return Page.of(rows, limit, cursorOf);
    }

    /** The {@code and ...} conditions of a list query and their parameters, in order. */
    private static final class Filters {
        private final String alias;
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> params = new ArrayList<>();

        Filters(String alias) {
            this.alias = alias;
        }

        void equal(String column, Object value) {
            if (value != null) {
                add(alias + column + " = ?", value);
            }
        }

        void anyOf(String column, List<String> values) {
            if (!values.isEmpty()) {
                add(alias + column + " = any(?)", Jdbc.textArray(values));
            }
        }

        void compare(String column, String operator, Instant value) {
            if (value != null) {
                add(alias + column + " " + operator + " ?", value);
            }
        }

        void add(String condition, Object param) {
            sql.append("\n               and ").append(condition);
            params.add(param);
        }

        String sql() {
            return sql.toString();
        }
    }

    private static Map<String, Integer> counts(ResultSet row) throws SQLException {
        Map<String, Integer> counts = new TreeMap<>();
        JsonNode json = Json.parse(row.getString("step_counts"));
        if (json != null) {
            json.properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        }
        return counts;
    }

    /**
     * Every state change of the task and its steps, oldest first; empty for an unknown task. The
     * store keeps a row per ended attempt and the attempt in progress on the step row (see the V2
     * migration); this unfolds them into one entry per change, each with the worker and attempt
     * where one was involved.
     */
    public List<TransitionView> history(UUID taskId) {
        return Jdbc.inSnapshot(dataSource, c -> {
            Optional<Instant> created = Jdbc.queryOne(c, HISTORY_TASK, row -> Jdbc.instant(row, "created_at"), taskId);
            if (created.isEmpty()) {
                return List.of();
            }
            List<Entry> entries = new ArrayList<>();
            entries.add(new Entry(new TransitionView("task", null, TaskState.IN_PROGRESS.dbValue(), null,
                    created.get()), 0));
            entries.addAll(Jdbc.query(c, HISTORY_TASK_CHANGES, row -> new Entry(new TransitionView("task",
                    row.getString("from_state"), row.getString("to_state"), Json.parse(row.getString("metadata")),
                    Jdbc.instant(row, "created_at")), 2), taskId));
            Map<UUID, List<AttemptRow>> attempts = new HashMap<>();
            for (AttemptRow attempt : Jdbc.query(c, HISTORY_ATTEMPTS, TaskQueries::attempt, taskId)) {
                attempts.computeIfAbsent(attempt.stepId(), id -> new ArrayList<>()).add(attempt);
            }
            for (StepRow step : Jdbc.query(c, HISTORY_STEPS, TaskQueries::stepRow, taskId)) {
                stepHistory(step, attempts.getOrDefault(step.id(), List.of()))
                        .forEach(change -> entries.add(new Entry(change, 1)));
            }
            // Stable: a step's changes at one instant keep their order. At one instant the task's
            // start comes before its steps' changes and its conclusion after them.
            entries.sort(Comparator.comparing((Entry e) -> e.change().at()).thenComparingInt(Entry::phase));
            return entries.stream().map(Entry::change).toList();
        });
    }

    private record Entry(TransitionView change, int phase) {}

    private record StepRow(UUID id, String name, String state, boolean ready, String createdBy, int attempts,
                           String claimedBy,
                           Instant createdAt, Instant enqueuedAt, Instant claimedAt, Instant endedAt, JsonNode lastError,
                           JsonNode resultMetadata) {}

    /** The reason of an attempt row that records an operator's action. */
    private static final String OPERATOR = "operator";

    /** States in which a step's row still holds its attempt under way, or its last one. */
    private static final Set<String> WAITING = Set.of(StepState.PENDING.dbValue(),
            StepState.WAITING_FOR_RETRY.dbValue());

    private record AttemptRow(UUID stepId, int attempt, String worker, Instant enqueuedAt, Instant startedAt,
                              Instant endedAt, String outcome, String reason, JsonNode error, JsonNode metadata) {}

    private static List<TransitionView> stepHistory(StepRow step, List<AttemptRow> attempts) {
        List<TransitionView> changes = new ArrayList<>();
        String state = (step.ready() ? StepState.ENQUEUED : StepState.PENDING).dbValue();
        changes.add(new TransitionView(step.name(), null, state, step.createdBy() == null ? null
                : Json.MAPPER.createObjectNode().put("created_by", step.createdBy()), step.createdAt()));
        for (AttemptRow attempt : attempts) {
            if (attempt.startedAt() != null) {
                state = enter(changes, step.name(), state, StepState.ENQUEUED.dbValue(), null, attempt.enqueuedAt());
                state = enter(changes, step.name(), state, StepState.IN_PROGRESS.dbValue(),
                        who(attempt.worker(), attempt.attempt()), attempt.startedAt());
            }
            if (OPERATOR.equals(attempt.reason())) {
                // An operator's action (see OperatorActions): who did what and why, nothing else.
                changes.add(new TransitionView(step.name(), state, attempt.outcome(), attempt.metadata(),
                        attempt.endedAt()));
                state = attempt.outcome();
                continue;
            }
            ObjectNode why = who(attempt.worker(), attempt.attempt());
            if (attempt.reason() != null) {
                why.put("reason", attempt.reason());
            }
            if (attempt.error() != null) {
                why.set("error", attempt.error());
            }
            if (attempt.metadata() != null) {
                why.set("metadata", attempt.metadata());
            }
            changes.add(new TransitionView(step.name(), state, attempt.outcome(), why, attempt.endedAt()));
            state = attempt.outcome();
        }
        // The attempt under way, or the last one, kept on the step row.
        if (WAITING.contains(step.state())) {
            return changes;
        }
        if (step.claimedAt() != null || !step.state().equals(state)) {
            state = enter(changes, step.name(), state, StepState.ENQUEUED.dbValue(), null, step.enqueuedAt());
        }
        if (step.claimedAt() != null) {
            state = enter(changes, step.name(), state, StepState.IN_PROGRESS.dbValue(),
                    who(step.claimedBy(), step.attempts()), step.claimedAt());
        }
        if (!step.state().equals(state)) {
            ObjectNode why = step.claimedAt() == null ? Json.MAPPER.createObjectNode()
                    : who(step.claimedBy(), step.attempts());
            if (step.lastError() != null && step.state().equals(StepState.ERROR.dbValue())) {
                why.set("error", step.lastError());
            }
            if (step.resultMetadata() != null) {
                why.set("metadata", step.resultMetadata());
            }
            changes.add(new TransitionView(step.name(), state, step.state(), why.isEmpty() ? null : why,
                    step.endedAt()));
        }
        return changes;
    }

    /** Adds the change from {@code state} to {@code target} unless the step is there already. */
    private static String enter(List<TransitionView> changes, String step, String state, String target,
            JsonNode metadata, Instant at) {
        if (!state.equals(target) && at != null) {
            changes.add(new TransitionView(step, state, target, metadata, at));
            return target;
        }
        return state;
    }

    private static ObjectNode who(String worker, int attempt) {
        ObjectNode who = Json.MAPPER.createObjectNode();
        if (worker != null) {
            who.put("worker", worker);
        }
        return who.put("attempt", attempt);
    }

    private static StepRow stepRow(ResultSet row) throws SQLException {
        return new StepRow(Jdbc.uuid(row, "id"), row.getString("name"), row.getString("state"),
                row.getBoolean("ready"), row.getString("created_by"), row.getInt("attempts"), row.getString("claimed_by"),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "enqueued_at"), Jdbc.instant(row, "claimed_at"),
                Jdbc.instant(row, "ended_at"), Json.parse(row.getString("last_error")),
                Json.parse(row.getString("result_metadata")));
    }

    private static AttemptRow attempt(ResultSet row) throws SQLException {
        return new AttemptRow(Jdbc.uuid(row, "step_id"), row.getInt("attempt"), row.getString("worker_id"),
                Jdbc.instant(row, "enqueued_at"), Jdbc.instant(row, "started_at"), Jdbc.instant(row, "ended_at"),
                row.getString("outcome"), row.getString("reason"), Json.parse(row.getString("error")),
                Json.parse(row.getString("metadata")));
    }

    /** A task read from the document {@code tasker_task_document} builds. */
    static TaskView fromDocument(String document) {
        JsonNode task = Json.parse(document);
        List<StepView> steps = new ArrayList<>();
        for (JsonNode step : task.path("steps")) {
            List<String> dependsOn = new ArrayList<>();
            step.path("depends_on").forEach(name -> dependsOn.add(name.asText()));
            steps.add(new StepView(
                    UUID.fromString(step.get("id").asText()),
                    step.get("name").asText(),
                    step.get("handler_callable").asText(),
                    step.path("type").asText("standard"),
                    text(step, "created_by"),
                    StepState.fromDb(step.get("state").asText()),
                    List.copyOf(dependsOn),
                    step.get("attempts").asInt(),
                    step.get("max_attempts").asInt(),
                    value(step, "results"),
                    value(step, "last_error"),
                    time(step, "next_attempt_at"),
                    time(step, "created_at"),
                    time(step, "updated_at"),
                    time(step, "completed_at"),
                    value(step, "batch"),
                    value(step, "checkpoint")));
        }
        List<String> tags = new ArrayList<>();
        task.path("tags").forEach(tag -> tags.add(tag.asText()));
        return new TaskView(
                UUID.fromString(task.get("id").asText()),
                task.get("namespace").asText(),
                task.get("name").asText(),
                task.get("version").asText(),
                TaskState.fromDb(task.get("state").asText()),
                task.get("context"),
                text(task, "initiator"),
                text(task, "source_system"),
                text(task, "reason"),
                List.copyOf(tags),
                task.get("priority").asInt(),
                text(task, "correlation_id") == null ? null : UUID.fromString(text(task, "correlation_id")),
                time(task, "created_at"),
                time(task, "updated_at"),
                time(task, "completed_at"),
                List.copyOf(steps));
    }

    private static JsonNode value(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = value(node, field);
        return value == null ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String text = text(node, field);
        return text == null ? null : OffsetDateTime.parse(text).toInstant();
    }

    private static TaskView task(ResultSet row) throws SQLException {
        List<String> tags = new ArrayList<>();
        Json.parse(row.getString("tags")).forEach(tag -> tags.add(tag.asText()));
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
                List.copyOf(tags),
                row.getInt("priority"),
                Jdbc.uuid(row, "correlation_id"),
                Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "updated_at"),
                Jdbc.instant(row, "completed_at"),
                List.of());
    }
}
