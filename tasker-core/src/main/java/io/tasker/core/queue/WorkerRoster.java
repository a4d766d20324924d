package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The workers that run now and the callables each runs (table {@code tasker_workers}, V5
 * migration), so that a step no live worker runs can be named when a task is created or read,
 * instead of waiting in silence. A worker {@linkplain #join joins} when it starts, its heartbeat
 * {@linkplain #heartbeat rewrites} its row, and it {@linkplain #leave leaves} when it stops
 * cleanly. A worker that died stays listed but counts as gone once its last heartbeat is older
 * than {@value #GONE_AFTER_LEASES} of its leases; a worker that joins deletes rows gone for a day.
 *
 * <p>Heartbeat times are the database's, like leases, so machines with skewed clocks agree.
 * Nothing on the step path touches the roster.
 */
public final class WorkerRoster {
    /** Leases without a heartbeat after which a worker counts as gone: nine heartbeats missed. */
    public static final int GONE_AFTER_LEASES = 3;

    private static final String ADVERTISE = """
            insert into tasker_workers (worker_id, namespaces, callables, lease)
            values (?, ?::text[], ?::text[], make_interval(secs => ?))
            on conflict (worker_id) do update
               set namespaces = excluded.namespaces, callables = excluded.callables, lease = excluded.lease,
                   last_heartbeat = now()
            """;
    private static final String FORGET_LONG_GONE = """
            delete from tasker_workers where last_heartbeat < now() - interval '1 day'
            """;
    private static final String LEAVE = """
            delete from tasker_workers where worker_id = ?
            """;
    private static final String LIVE = """
            select worker_id, namespaces, callables, extract(epoch from lease) as lease_seconds, started_at,
                   last_heartbeat
              from tasker_workers
             where last_heartbeat >= now() - lease * %d
             order by worker_id
            """.formatted(GONE_AFTER_LEASES);

    /**
     * What a worker says of itself.
     *
     * @param callables the callables it runs, or null when it claims every callable of its namespaces
     * @param lease     its claims' lease, which its heartbeat renews at a fraction of
     */
    public record Advert(String workerId, Collection<String> namespaces, Collection<String> callables,
                         Duration lease) {
        public Advert {
            Objects.requireNonNull(workerId, "workerId");
            namespaces = List.copyOf(namespaces);
            callables = callables == null ? null : List.copyOf(callables);
            Objects.requireNonNull(lease, "lease");
        }
    }

    /** A worker whose heartbeat is recent enough; {@code callables} null when it runs every one. */
    public record LiveWorker(String workerId, Set<String> namespaces, Set<String> callables, Duration lease,
                             Instant startedAt, Instant lastHeartbeat) {
        /** Whether this worker claims steps of {@code namespace} that name {@code callable}. */
        public boolean runs(String namespace, String callable) {
            return namespaces.contains(namespace) && (callables == null || callables.contains(callable));
        }
    }

    private WorkerRoster() {}

    /** A worker starts: lists it, and forgets workers gone for a day. */
    public static void join(DataSource dataSource, Advert advert) {
        Jdbc.withConnection(dataSource, c -> {
            Jdbc.update(c, FORGET_LONG_GONE);
            return advertise(c, advert);
        });
    }

    /** A worker is still alive: its row is written again, so a row lost meanwhile comes back. */
    public static void heartbeat(DataSource dataSource, Advert advert) {
        Jdbc.withConnection(dataSource, c -> advertise(c, advert));
    }

    /** A worker stops: it no longer runs anything. */
    public static void leave(DataSource dataSource, String workerId) {
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c, LEAVE, workerId));
    }

    /** The workers whose heartbeat is recent enough, by id. */
    public static List<LiveWorker> live(DataSource dataSource) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, LIVE, WorkerRoster::liveWorker));
    }

    private static int advertise(Connection c, Advert advert) throws SQLException {
        return Jdbc.update(c, ADVERTISE, advert.workerId(), Jdbc.textArray(advert.namespaces()),
                advert.callables() == null ? null : Jdbc.textArray(advert.callables()),
                advert.lease().toNanos() / 1e9);
    }

    private static LiveWorker liveWorker(ResultSet row) throws SQLException {
        return new LiveWorker(row.getString("worker_id"), texts(row.getArray("namespaces")),
                texts(row.getArray("callables")), Duration.ofNanos(Math.round(row.getDouble("lease_seconds") * 1e9)),
                Jdbc.instant(row, "started_at"), Jdbc.instant(row, "last_heartbeat"));
    }

    private static Set<String> texts(Array array) throws SQLException {
        return array == null ? null : Set.copyOf(Arrays.asList((String[]) array.getArray()));
    }
}
