package io.tasker.bench.internal;

import io.tasker.core.db.Database;
import io.tasker.core.internal.Jdbc;

import java.util.List;

/**
 * What PostgreSQL spent on each statement during a scenario, from {@code pg_stat_statements} when
 * the server loads it (the embedded one of the benchmarks does; an external one may not). It
 * counts the statements inside the server-side functions too ({@code track = all}), and how often
 * each was planned: a hot statement planned on every call would show as many plans as calls.
 */
final class StatementStats {
    private static final String RESET = "select pg_stat_statements_reset()";
    private static final String TOP = """
            select calls, plans, total_exec_time, total_plan_time, rows,
                   regexp_replace(left(query, 300), '\\s+', ' ', 'g') as query
              from pg_stat_statements
             where dbid = (select oid from pg_database where datname = current_database())
             order by total_exec_time + total_plan_time desc
             limit ?
            """;

    /** One statement's totals since the last reset. */
    record Statement(long calls, long plans, double execMillis, double planMillis, long rows, String query) {}

    private final Database database;
    private final boolean available;

    private StatementStats(Database database, boolean available) {
        this.database = database;
        this.available = available;
    }

    /** Installs the extension when the server has it loaded; otherwise reports nothing. */
    static StatementStats on(Database database) {
        boolean available;
        try {
            available = Jdbc.withConnection(database.dataSource(), c -> {
                boolean loaded = Jdbc.queryOne(c, "select current_setting('shared_preload_libraries') like "
                        + "'%pg_stat_statements%'", row -> row.getBoolean(1)).orElse(false);
                if (loaded) {
                    Jdbc.update(c, "create extension if not exists pg_stat_statements");
                }
                return loaded;
            });
        } catch (RuntimeException e) {
            available = false;
        }
        return new StatementStats(database, available);
    }

    boolean available() {
        return available;
    }

    void reset() {
        if (available) {
            Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c, RESET, row -> 0));
        }
        Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c, "select pg_stat_reset_shared('wal')", row -> 0));
    }

    /**
     * The write-ahead log since the last reset: records, full-page images, bytes, flushes and the
     * time they took (when the server times WAL I/O). What one durable commit costs comes from here.
     */
    String wal() {
        return Jdbc.withConnection(database.dataSource(), c -> Jdbc.queryOne(c, """
                select format('wal: %s records, %s full-page images, %s MB, %s syncs, %s ms syncing (%s ms per sync)',
                              wal_records, wal_fpi, round(wal_bytes / 1048576.0, 1), wal_sync,
                              round(wal_sync_time::numeric, 1),
                              round((wal_sync_time / nullif(wal_sync, 0))::numeric, 3))
                  from pg_stat_wal
                """, row -> row.getString(1))).orElse("wal: unknown");
    }

    List<Statement> top(int limit) {
        if (!available) {
            return List.of();
        }
        return Jdbc.withConnection(database.dataSource(), c -> Jdbc.query(c, TOP, row -> new Statement(
                row.getLong("calls"), row.getLong("plans"), row.getDouble("total_exec_time"),
                row.getDouble("total_plan_time"), row.getLong("rows"), row.getString("query")), limit));
    }
}
