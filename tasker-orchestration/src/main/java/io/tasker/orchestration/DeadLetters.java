package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The dead letters: tasks the stale-task sweeper found no longer moving, for an operator to look
 * at and resolve (after cancelling the task, retrying a step, or deciding it needs nothing).
 */
public final class DeadLetters {
    /** Which entries a list shows. */
    public enum Show { OPEN, RESOLVED, ALL }

    /**
     * An entry with its task as it is now.
     *
     * @param lastError the task's most recently failed step ({@code step_name, message, error_type}), or null
     */
    public record Entry(UUID id, UUID taskId, String namespace, String name, String reason, Instant createdAt,
                        Instant resolvedAt, String resolvedBy, String resolution, String taskState,
                        JsonNode lastError) {}

    /** What resolving did. */
    public sealed interface Resolution {
        record Resolved(Entry entry) implements Resolution {}

        record NotFound(String message) implements Resolution {}

        record AlreadyResolved(Entry entry) implements Resolution {}
    }

    public record Stats(long open, long resolved, Map<String, Long> openByTaskState) {}

    private static final String ENTRIES = """
            select d.id, d.task_id, t.namespace, t.name, d.reason, d.created_at, d.resolved_at, d.resolved_by,
                   d.resolution, t.state as task_state,
                   (select jsonb_build_object('step_name', s.name, 'message', s.last_error ->> 'message',
                                              'error_type', s.last_error ->> 'error_type')::text
                      from tasker_steps s
                     where s.task_id = d.task_id and s.last_error is not null
                     order by s.updated_at desc limit 1) as last_error
              from tasker_dead_letters d
              join tasker_tasks t on t.id = d.task_id
            """;
    private static final String PAGE = ENTRIES + """
             where (d.created_at, d.id) < (?, ?) and (? or (d.resolved_at is not null) = ?)
             order by d.created_at desc, d.id desc
             limit ?
            """;
    private static final String ONE = ENTRIES + " where d.id = ?";
    private static final String RESOLVE = """
            update tasker_dead_letters set resolved_at = now(), resolved_by = ?, resolution = ?
             where id = ? and resolved_at is null
            """;
    private static final String STATS = """
            select count(*) filter (where resolved_at is null) as open,
                   count(*) filter (where resolved_at is not null) as resolved
              from tasker_dead_letters
            """;
    private static final String OPEN_BY_STATE = """
            select t.state, count(*) as n
              from tasker_dead_letters d join tasker_tasks t on t.id = d.task_id
             where d.resolved_at is null
             group by t.state order by t.state
            """;

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Up to {@code limit} entries, newest first, starting after {@code after} (null: the first page). */
    public Page<Entry> list(Show show, int limit, PageCursor after) {
        PageCursor from = after == null ? PageCursor.FIRST : after;
        List<Entry> rows = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, PAGE, DeadLetters::entry, from.at(),
                from.id(), show == Show.ALL, show == Show.RESOLVED, limit + 1));
        return Page.of(rows, limit, entry -> new PageCursor(entry.createdAt(), entry.id()));
    }

    public Optional<Entry> find(UUID id) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, ONE, DeadLetters::entry, id));
    }

    /** Marks an open entry resolved by {@code actor}, with what was done about it. */
    public Resolution resolve(UUID id, String actor, String resolution) {
        int changed = Jdbc.withConnection(dataSource, c -> Jdbc.update(c, RESOLVE, actor, resolution, id));
        Optional<Entry> entry = find(id);
        if (entry.isEmpty()) {
            return new Resolution.NotFound("no dead letter " + id);
        }
        return changed == 1 ? new Resolution.Resolved(entry.get()) : new Resolution.AlreadyResolved(entry.get());
    }

    public Stats stats() {
        return Jdbc.withConnection(dataSource, c -> {
            long[] counts = Jdbc.queryOne(c, STATS, row -> new long[] {row.getLong("open"), row.getLong("resolved")})
                    .orElseThrow();
            Map<String, Long> byState = new LinkedHashMap<>();
            for (Object[] row : Jdbc.query(c, OPEN_BY_STATE, row -> new Object[] {row.getString(1), row.getLong(2)})) {
                byState.put((String) row[0], (Long) row[1]);
            }
            return new Stats(counts[0], counts[1], byState);
        });
    }

    private static Entry entry(ResultSet row) throws SQLException {
        return new Entry(Jdbc.uuid(row, "id"), Jdbc.uuid(row, "task_id"), row.getString("namespace"),
                row.getString("name"), row.getString("reason"), Jdbc.instant(row, "created_at"),
                Jdbc.instant(row, "resolved_at"), row.getString("resolved_by"), row.getString("resolution"),
                row.getString("task_state"), Json.parse(row.getString("last_error")));
    }
}
