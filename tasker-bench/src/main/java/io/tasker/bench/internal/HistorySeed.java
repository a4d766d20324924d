package io.tasker.bench.internal;

import io.tasker.core.Ids;
import io.tasker.core.db.DatabaseException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fills the database with finished tasks, fast: {@code COPY ... FROM STDIN} through pgjdbc's
 * {@link CopyManager}, streamed in chunks of {@value #CHUNK} tasks (one transaction each), so
 * neither side holds more than a chunk. Inserting them through the engine would take hours.
 *
 * <p>Every seeded task is a copy of a <em>prototype</em>, a task of the same workflow that the
 * engine itself completed: its task row, its step rows (positions, DAG arrays, handler, retry
 * settings, results, the worker that ran them) and its transitions, with the timestamps of each
 * at the same distance from the task's creation. Only what must differ is new: ids (UUID v7,
 * from {@link Ids}), the context (unique, like the benchmarks' own) and the identity hash (SHA-256
 * of the context, as the strict strategy's is of its parts), and the creation time (the moment
 * the row is written, so ids and times agree as the engine's do). So the history looks like the
 * engine's to every index and every planner statistic, whatever the schema's columns are.
 */
final class HistorySeed {
    static final int CHUNK = 10_000;
    private static final int PROGRESS_EVERY = 100_000;
    private static final int BUFFER = 1 << 16;

    /** A table the seed writes: the columns each row gets anew, the times kept at the prototype's distance from the task's creation, the columns copied from the prototype. */
    private record Table(String name, String taskColumn, String order, List<String> fresh, List<String> times,
            List<String> copied) {
        String prototypeQuery() {
            return "select " + Stream.concat(
                            times.stream().map(c -> "(extract(epoch from (x." + c + " - t.created_at)) * 1000000)::bigint"),
                            copied.stream().map(c -> "x." + c + "::text"))
                    .collect(Collectors.joining(", "))
                    + " from " + name + " x join tasker_tasks t on t.id = x." + taskColumn
                    + " where t.id = ? order by " + order;
        }

        String copy() {
            return "copy " + name + " (" + Stream.of(fresh, times, copied).flatMap(List::stream)
                    .collect(Collectors.joining(", ")) + ") from stdin";
        }
    }

    private static final Table TASKS = new Table("tasker_tasks", "id", "x.id",
            List.of("id", "context", "identity_hash", "created_at"),
            List.of("updated_at", "completed_at"),
            List.of("template_id", "namespace", "name", "version", "state", "priority", "initiator", "source_system",
                    "reason", "tags"));
    private static final Table STEPS = new Table("tasker_steps", "task_id", "x.position",
            List.of("id", "task_id"),
            List.of("created_at", "updated_at", "enqueued_at", "claimed_at", "completed_at"),
            List.of("position", "name", "namespace", "handler_callable", "state", "attempts", "max_attempts",
                    "retryable", "backoff_base_ms", "max_backoff_ms", "timeout_seconds", "priority", "inputs",
                    "results", "result_metadata", "last_error", "claimed_by", "parents", "children", "ancestors",
                    "parents_pending"));
    private static final Table TRANSITIONS = new Table("tasker_task_transitions", "task_id", "x.id",
            List.of("task_id"),
            List.of("created_at"),
            List.of("from_state", "to_state", "metadata"));

    /** One prototype row: microseconds after the task's creation for each time column (null stays null), and the copied columns as COPY text. */
    private record Shape(Long[] offsets, String copied) {}

    private record Prototype(UUID taskId, Shape task, List<Shape> steps, List<Shape> transitions) {}

    private final BenchEnvironment environment;
    private final String seedRun = "seed-" + UUID.randomUUID();
    private final MessageDigest sha256;

    private HistorySeed(BenchEnvironment environment) {
        this.environment = environment;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Writes {@code tasks} finished tasks shaped like the newest complete task of {@code workflow},
     * which must exist; progress every {@value #PROGRESS_EVERY} tasks.
     */
    static void write(BenchEnvironment environment, Workflow workflow, int tasks, Progress progress) {
        new HistorySeed(environment).write(workflow, tasks, progress);
    }

    private void write(Workflow workflow, int tasks, Progress progress) {
        long start = System.nanoTime();
        try (Connection connection = environment.connect("tasker-bench-seed")) {
            Prototype prototype = prototype(connection, workflow);
            progress.line("seeding %d tasks shaped like task %s (%d step rows and %d transition rows each)", tasks,
                    prototype.taskId(), prototype.steps().size(), prototype.transitions().size());
            connection.setAutoCommit(false);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int from = 0; from < tasks; from += CHUNK) {
                int count = Math.min(CHUNK, tasks - from);
                chunk(copy, prototype, from, count);
                connection.commit();
                int done = from + count;
                if (done / PROGRESS_EVERY > from / PROGRESS_EVERY || done == tasks) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    progress.line("seeded %d/%d tasks, %.0f s, %.0f tasks/s", done, tasks, seconds, done / seconds);
                }
            }
        } catch (SQLException | IOException e) {
            throw new DatabaseException("cannot seed finished tasks: " + e.getMessage(), e);
        }
    }

    private Prototype prototype(Connection connection, Workflow workflow) throws SQLException {
        UUID taskId;
        try (PreparedStatement statement = connection.prepareStatement("""
                select id from tasker_tasks where namespace = ? and name = ? and state = 'complete'
                 order by created_at desc limit 1
                """)) {
            statement.setString(1, workflow.namespace());
            statement.setString(2, workflow.name());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no complete task of " + workflow + " to copy; run one first");
                }
                taskId = rows.getObject(1, UUID.class);
            }
        }
        Prototype prototype = new Prototype(taskId, shapes(connection, TASKS, taskId).getFirst(),
                shapes(connection, STEPS, taskId), shapes(connection, TRANSITIONS, taskId));
        if (prototype.steps().isEmpty()) {
            throw new IllegalStateException("task " + taskId + " of " + workflow + " has no steps");
        }
        return prototype;
    }

    private static List<Shape> shapes(Connection connection, Table table, UUID taskId) throws SQLException {
        List<Shape> shapes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(table.prototypeQuery())) {
            statement.setObject(1, taskId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Long[] offsets = new Long[table.times().size()];
                    for (int i = 0; i < offsets.length; i++) {
                        long micros = rows.getLong(i + 1);
                        offsets[i] = rows.wasNull() ? null : micros;
                    }
                    List<String> copied = new ArrayList<>();
                    for (int i = 0; i < table.copied().size(); i++) {
                        copied.add(cell(rows.getString(offsets.length + i + 1)));
                    }
                    shapes.add(new Shape(offsets, String.join("\t", copied)));
                }
            }
        }
        return shapes;
    }

    /** One chunk: its tasks, then their steps (whose foreign key needs the tasks), then their transitions. */
    private void chunk(CopyManager copy, Prototype prototype, int first, int count) throws SQLException, IOException {
        UUID[] ids = new UUID[count];
        Instant[] created = new Instant[count];
        try (Writer out = writer(copy, TASKS)) {
            for (int i = 0; i < count; i++) {
                created[i] = Instant.now().truncatedTo(ChronoUnit.MICROS);
                ids[i] = Ids.newId();
                String context = "{\"even_number\": 6, \"bench_run\": \"" + seedRun + "\", \"bench_task\": "
                        + (first + i + 1) + "}";
                out.append(ids[i].toString()).append('\t').append(context).append('\t').append(identity(context))
                        .append('\t').append(created[i].toString());
                row(out, created[i], prototype.task());
            }
        }
        try (Writer out = writer(copy, STEPS)) {
            for (int i = 0; i < count; i++) {
                for (Shape step : prototype.steps()) {
                    out.append(Ids.newId().toString()).append('\t').append(ids[i].toString());
                    row(out, created[i], step);
                }
            }
        }
        try (Writer out = writer(copy, TRANSITIONS)) {
            for (int i = 0; i < count; i++) {
                for (Shape transition : prototype.transitions()) {
                    out.append(ids[i].toString());
                    row(out, created[i], transition);
                }
            }
        }
    }

    /** A COPY in progress; closing the writer ends it. */
    private static Writer writer(CopyManager copy, Table table) throws SQLException {
        return new BufferedWriter(new OutputStreamWriter(new PGCopyOutputStream(copy.copyIn(table.copy()), BUFFER),
                StandardCharsets.UTF_8), BUFFER);
    }

    /** The rest of a row after its fresh columns: the times, the copied columns, the line's end. */
    private static void row(Writer out, Instant created, Shape shape) throws IOException {
        for (Long offset : shape.offsets()) {
            out.append('\t').append(offset == null ? "\\N" : created.plus(offset, ChronoUnit.MICROS).toString());
        }
        out.append('\t').append(shape.copied()).append('\n');
    }

    private String identity(String context) {
        return HexFormat.of().formatHex(sha256.digest(context.getBytes(StandardCharsets.UTF_8)));
    }

    /** A value in COPY's text format: \N for null, and the four characters it gives a meaning escaped. */
    static String cell(String value) {
        if (value == null) {
            return "\\N";
        }
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> escaped.append("\\\\");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> escaped.append(ch);
            }
        }
        return escaped.toString();
    }

    /**
     * Leaves the tables as autovacuum and the checkpointer would have left them after such a
     * history accumulated: vacuumed (hint bits set, visibility map built, so the first reads of the
     * new rows do not write them again) with fresh statistics, and the bulk load's dirty pages
     * written out, so no checkpoint of it competes with the measurement that follows.
     */
    static void settle(BenchEnvironment environment, Progress progress) {
        try (Connection connection = environment.connect("tasker-bench-seed");
             var statement = connection.createStatement()) {
            progress.line("VACUUM (ANALYZE) of the tasker tables");
            statement.execute("vacuum (analyze) tasker_tasks, tasker_steps, tasker_task_transitions, "
                    + "tasker_step_attempts");
            try {
                statement.execute("checkpoint");
            } catch (SQLException e) {
                // CHECKPOINT needs a superuser (or pg_checkpoint); the measurement then may meet one.
                progress.line("no CHECKPOINT (%s); the next one may fall into the measurement", e.getMessage());
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot vacuum the tasker tables: " + e.getMessage(), e);
        }
    }
}
