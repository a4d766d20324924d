package io.tasker.server.metrics;

import io.tasker.core.internal.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks that reached a final state since the first count, by that state, read from the task
 * transition history without scanning it.
 *
 * <p>Counting every finished task would read a table that only grows, so each count reads only
 * the transitions above a floor (the identity column is an index), and the floor moves up as
 * counts are taken. It cannot simply move to the highest id seen: identities are handed out in
 * order but committed in any order, so a transaction may still commit a lower id than one already
 * visible. The floor therefore trails by {@link #SETTLE}: it moves to the highest id that was
 * visible at least that long ago, by which time every transaction holding a lower id has long
 * committed (a transition is written by a transaction of milliseconds). Rows between the floor and
 * the top are counted afresh each time, and added to the settled total once the floor passes them,
 * so the count never goes down and never counts a row twice.
 *
 * <p>Not thread-safe: its owner calls {@link #count} under a lock.
 */
final class FinishedTasks {
    static final Duration SETTLE = Duration.ofSeconds(60);
    static final List<String> STATES = List.of("complete", "error", "cancelled", "resolved_manually");

    private static final String TOP = "select coalesce(max(id), 0) from tasker_task_transitions";
    private static final String ABOVE_FLOOR = """
            select to_state, count(*) filter (where id <= ?) as settling, count(*) as total
            from tasker_task_transitions
            where id > ? and to_state in ('complete', 'error', 'cancelled', 'resolved_manually')
            group by to_state
            """;

    private record Seen(long atNanos, long top) {}

    private final Deque<Seen> seen = new ArrayDeque<>();
    private final Map<String, Long> settled = new HashMap<>();
    private Long floor;

    /** The tasks finished since the first call, by final state; at the first call, none. */
    Map<String, Long> count(Connection connection, long nowNanos) throws SQLException {
        long top = Jdbc.queryOne(connection, TOP, row -> row.getLong(1)).orElse(0L);
        if (floor == null) {
            floor = top;
            return Map.of();
        }
        seen.addLast(new Seen(nowNanos, top));
        long newFloor = floor;
        while (!seen.isEmpty() && nowNanos - seen.peekFirst().atNanos() >= SETTLE.toNanos()) {
            newFloor = Math.max(newFloor, seen.removeFirst().top());
        }
        Map<String, Long> finished = new HashMap<>(settled);
        for (Counted counted : Jdbc.query(connection, ABOVE_FLOOR,
                row -> new Counted(row.getString("to_state"), row.getLong("settling"), row.getLong("total")),
                newFloor, floor)) {
            finished.merge(counted.state(), counted.total(), Long::sum);
            settled.merge(counted.state(), counted.settling(), Long::sum);
        }
        floor = newFloor;
        return finished;
    }

    private record Counted(String state, long settling, long total) {}
}
