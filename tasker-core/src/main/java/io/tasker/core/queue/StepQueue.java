package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The step queue: the steps in state {@code enqueued}, in the same table as everything else, so a
 * step's state and its place in the queue can never disagree.
 *
 * <p>A step becomes claimable in the transaction that makes it ready, and that transaction sends
 * one {@code NOTIFY} per namespace on {@link #channel(String)} for the steps it leaves waiting,
 * delivered at commit. Workers claim with {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers
 * never wait on each other and never get the same step. Leases and due times use the database
 * clock, never the JVM's, so machines with skewed clocks agree.
 *
 * <p>Claiming is done by the server-side function {@code tasker_step_cycle} (see the V2
 * migration), which also records results: {@link #claim} is that function with nothing to record.
 * Methods that take a {@link Connection} run in the caller's transaction and throw
 * {@link SQLException} like JDBC does; the {@link DataSource} overloads run on their own and throw
 * {@link io.tasker.core.db.DatabaseException}.
 */
public final class StepQueue {
    static final String CHANNEL_PREFIX = "tasker_ready_";
    /** PostgreSQL truncates identifiers longer than this, which would break LISTEN. */
    private static final int MAX_CHANNEL_BYTES = 63;

    private static final String CLAIM = "select * from tasker_step_cycle(?, null, ?, ?, ?, ?)";

    /**
     * A claim that ends without a result (given back, or its lease ran out) goes back to the queue
     * and leaves its attempt in the history. {@code candidates} picks and locks the rows; its
     * parameters come first, then the channel prefix.
     */
    private static String requeueSql(String candidates, String attemptsKept, String reason) {
        return requeueSql(candidates, attemptsKept, reason, """
                select (select count(*) from requeued) as requeued, (select count(*) from notified) as notified
                """);
    }

    /** As above, the statement ending in {@code result}, which must read {@code notified} for it to run. */
    private static String requeueSql(String candidates, String attemptsKept, String reason, String result) {
        return """
                with candidates as (
                %s
                ), requeued as (
                    update tasker_steps s
                       set state = 'enqueued', attempts = %s, enqueued_at = now(), claimed_by = null,
                           claimed_at = null, lease_until = null, updated_at = now()
                      from candidates c, tasker_steps was
                     where s.id = c.id and was.id = c.id
                    returning s.id, s.task_id, s.namespace, s.name, s.max_attempts, was.attempts, was.claimed_by,
                              was.enqueued_at, was.claimed_at
                ), history as (
                    insert into tasker_step_attempts (task_id, step_id, attempt, worker_id, enqueued_at, started_at,
                                                      outcome, reason)
                    select task_id, id, attempts, claimed_by, enqueued_at, claimed_at, 'enqueued', '%s'
                      from requeued
                ), notified as (
                    select pg_notify(?::text || namespace, namespace)
                      from (select distinct namespace from requeued) namespaces
                )
                %s""".formatted(candidates.indent(4).stripTrailing(), attemptsKept, reason, result);
    }

    private static final String RELEASE = requeueSql("""
            select id
              from tasker_steps
             where id = ? and state = 'in_progress' and claimed_by = ?
               for update
            """, "greatest(s.attempts - 1, 0)", "released");

    private static final String REQUEUE_EXPIRED_LEASES = requeueSql("""
            select id
              from tasker_steps
             where state = 'in_progress' and lease_until < now() and attempts < max_attempts
             order by lease_until
             limit ?
               for update skip locked
            """, "s.attempts", "lease_expired", """
            select r.id, r.name, r.task_id, r.namespace, t.name as task_name, r.attempts, r.max_attempts, r.claimed_by
              from requeued r
              join tasker_tasks t on t.id = r.task_id
             cross join (select count(*) from notified) sent
            """);

    /* The attempt that failed is in the history already; the next one starts here. */
    private static final String ENQUEUE_DUE_RETRIES = """
            with due as (
                select id
                  from tasker_steps
                 where state = 'waiting_for_retry' and next_attempt_at <= now()
                 order by next_attempt_at
                 limit ?
                   for update skip locked
            ), ready as (
                update tasker_steps s
                   set state = 'enqueued', enqueued_at = now(), next_attempt_at = null, claimed_by = null,
                       claimed_at = null, updated_at = now()
                  from due
                 where s.id = due.id
                returning s.namespace
            ), notified as (
                select pg_notify(?::text || namespace, namespace)
                  from (select distinct namespace from ready) namespaces
            )
            select (select count(*) from ready) as requeued, (select count(*) from notified) as notified
            """;

    // lease_until is in no index, so extending a lease is a HOT update.
    private static final String EXTEND_LEASE = """
            update tasker_steps
               set lease_until = now() + make_interval(secs => ?)
             where id = ? and state = 'in_progress' and claimed_by = ?
            """;

    private static final String EXTEND_LEASES = """
            update tasker_steps
               set lease_until = now() + make_interval(secs => ?)
             where id = any(?) and state = 'in_progress' and claimed_by = ?
            returning id
            """;

    private StepQueue() {}

    /** The notification channel for a namespace; its payload is the namespace. */
    public static String channel(String namespace) {
        String channel = CHANNEL_PREFIX + namespace;
        if (namespace.isEmpty() || channel.getBytes(StandardCharsets.UTF_8).length > MAX_CHANNEL_BYTES) {
            throw new IllegalArgumentException("namespace '" + namespace + "' cannot be a queue channel: it must be 1 to "
                    + (MAX_CHANNEL_BYTES - CHANNEL_PREFIX.length()) + " bytes long");
        }
        return channel;
    }

    /**
     * Claims up to {@code limit} enqueued steps of the given namespaces, highest priority first and
     * then in the order they were enqueued, each with what its handler needs. Ask only for as many
     * as there are free handler slots. Steps other claimers hold locked are skipped, so under
     * contention the order is best effort. {@code callables}, when not null, limits the claim to
     * steps with those handlers, so workers with different handlers can share a namespace.
     */
    public static List<ClaimedStep> claim(Connection connection, String workerId, Collection<String> namespaces,
            Collection<String> callables, int limit, Duration lease) throws SQLException {
        double leaseSeconds = seconds(lease);
        if (limit <= 0 || namespaces.isEmpty() || (callables != null && callables.isEmpty())) {
            return List.of();
        }
        try (PreparedStatement statement = Jdbc.prepare(connection, CLAIM, workerId,
                Jdbc.textArray(new LinkedHashSet<>(namespaces)),
                callables == null ? null : Jdbc.textArray(new LinkedHashSet<>(callables)), limit, leaseSeconds);
             ResultSet rows = statement.executeQuery()) {
            List<ClaimedStep> claimed = new ArrayList<>();
            while (rows.next()) {
                claimed.add(StepRows.claimed(rows));
            }
            return claimed;
        }
    }

    public static List<ClaimedStep> claim(DataSource dataSource, String workerId, Collection<String> namespaces,
            Collection<String> callables, int limit, Duration lease) {
        return Jdbc.withConnection(dataSource, c -> claim(c, workerId, namespaces, callables, limit, lease));
    }

    public static List<ClaimedStep> claim(
            DataSource dataSource, String workerId, Collection<String> namespaces, int limit, Duration lease) {
        return claim(dataSource, workerId, namespaces, null, limit, lease);
    }

    /** Moves the lease of a step this worker holds to {@code lease} from now; false if it no longer holds it. */
    public static boolean extendLease(DataSource dataSource, UUID stepId, String workerId, Duration lease) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.update(c, EXTEND_LEASE, seconds(lease), stepId, workerId) == 1);
    }

    /**
     * A worker's heartbeat: moves the leases of all the given steps it holds to {@code lease} from
     * now, in one statement however many steps it runs. Returns the ids it still holds; a step
     * missing from the answer was finished, released or lost to lease expiry.
     */
    public static Set<UUID> extendLeases(DataSource dataSource, Collection<UUID> stepIds, String workerId,
            Duration lease) {
        return Jdbc.withConnection(dataSource, c -> extendLeases(c, stepIds, workerId, lease));
    }

    public static Set<UUID> extendLeases(Connection connection, Collection<UUID> stepIds, String workerId,
            Duration lease) throws SQLException {
        double leaseSeconds = seconds(lease);
        if (stepIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(Jdbc.query(connection, EXTEND_LEASES, row -> Jdbc.uuid(row, "id"), leaseSeconds,
                Jdbc.uuidArray(stepIds), workerId));
    }

    /**
     * Gives a claimed step back unrun, as on shutdown: it is claimable again and the attempt is not
     * counted. False if this worker does not hold it.
     */
    public static boolean release(DataSource dataSource, UUID stepId, String workerId) {
        return Jdbc.withConnection(dataSource, c -> requeue(c, RELEASE, stepId, workerId) == 1);
    }

    /**
     * Makes steps whose lease ran out claimable again, at most {@code maxRows} of them. The attempt
     * stays counted: the worker may have died halfway through the handler. Steps that have used
     * all their attempts are left for orchestration, which fails them and finalizes their task.
     * Returns the steps requeued, for the log to name them.
     */
    public static List<ExpiredLease> requeueExpiredLeases(DataSource dataSource, int maxRows) {
        return maxRows <= 0 ? List.of() : Jdbc.withConnection(dataSource, c -> Jdbc.query(c, REQUEUE_EXPIRED_LEASES,
                row -> new ExpiredLease(Jdbc.uuid(row, "id"), row.getString("name"), Jdbc.uuid(row, "task_id"),
                        row.getString("namespace"), row.getString("task_name"), row.getInt("attempts"),
                        row.getInt("max_attempts"), row.getString("claimed_by")),
                maxRows, CHANNEL_PREFIX));
    }

    /** Makes retries whose {@code next_attempt_at} has come claimable, at most {@code maxRows} of them. */
    public static int enqueueDueRetries(DataSource dataSource, int maxRows) {
        return maxRows <= 0 ? 0 : Jdbc.withConnection(dataSource, c -> requeue(c, ENQUEUE_DUE_RETRIES, maxRows));
    }

    private static int requeue(Connection connection, String sql, Object... candidateParams) throws SQLException {
        Object[] params = new Object[candidateParams.length + 1];
        System.arraycopy(candidateParams, 0, params, 0, candidateParams.length);
        params[candidateParams.length] = CHANNEL_PREFIX;
        return Jdbc.queryOne(connection, sql, row -> row.getInt("requeued"), params).orElseThrow();
    }

    private static double seconds(Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lease must be positive, got " + lease);
        }
        return lease.toNanos() / 1e9;
    }
}
