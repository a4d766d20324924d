package io.tasker.orchestration.internal;

import io.tasker.core.Ids;
import io.tasker.core.internal.Jdbc;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Puts open tasks that have made no progress for too long into the dead-letter table, with the
 * reason and the count of their steps by state, so nothing stays stuck unseen. The task itself is
 * left as it is for an operator to decide; a task gets one open dead letter at most.
 *
 * <p>Progress is any change of the task or one of its steps ({@code updated_at}); the scan uses the
 * partial index on open tasks, so its cost does not grow with the number of finished ones.
 */
public final class StaleTaskSweeper {
    // Only tasks older than the age can be stale, so the open-task index on created_at bounds the
    // scan; a task's progress is the newest change of it or of its steps.
    private static final String STALE = """
            with quiet as (select now() - make_interval(secs => ?) as since)
            select t.id
              from tasker_tasks t, quiet q
             where t.state not in ('complete', 'error', 'cancelled', 'resolved_manually')
               and t.created_at < q.since and t.updated_at < q.since
               and not exists (select 1 from tasker_steps s where s.task_id = t.id and s.updated_at >= q.since)
               and not exists (select 1 from tasker_dead_letters d where d.task_id = t.id and d.resolved_at is null)
             order by t.created_at
             limit ?
            """;

    private static final String DEAD_LETTER = """
            insert into tasker_dead_letters (id, task_id, reason, task_state, details)
            select d.id, t.id,
                   'no progress for ' || ? || ' (task ' || t.state || '; steps: ' || s.summary || ')',
                   t.state, s.counts
              from unnest(?::uuid[], ?::uuid[]) as d (id, task_id)
              join tasker_tasks t on t.id = d.task_id
             cross join lateral (
                     select coalesce(string_agg(state || ' ' || n, ', ' order by state), 'none') as summary,
                            coalesce(jsonb_object_agg(state, n), '{}'::jsonb) as counts
                       from (select state, count(*) as n from tasker_steps where task_id = t.id group by state) c
                   ) s
            on conflict (task_id) where resolved_at is null do nothing
            """;

    private final DataSource dataSource;
    private final Duration maxAge;
    private final int batchSize;

    public StaleTaskSweeper(DataSource dataSource, Duration maxAge, int batchSize) {
        this.dataSource = dataSource;
        this.maxAge = maxAge;
        this.batchSize = batchSize;
    }

    /** Returns how many tasks were dead-lettered. */
    public int sweep() {
        return Jdbc.inTransaction(dataSource, c -> {
            List<UUID> tasks = Jdbc.query(c, STALE, row -> Jdbc.uuid(row, "id"), maxAge.toNanos() / 1e9, batchSize);
            if (tasks.isEmpty()) {
                return 0;
            }
            List<UUID> ids = tasks.stream().map(t -> Ids.newId()).toList();
            return Jdbc.update(c, DEAD_LETTER, describe(maxAge), Jdbc.uuidArray(ids), Jdbc.uuidArray(tasks));
        });
    }

    static String describe(Duration age) {
        long seconds = age.toSeconds();
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return age.toMillis() % 1000 == 0 ? seconds + " s" : age.toMillis() + " ms";
    }
}
