package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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
 * one {@code NOTIFY} per namespace on {@link #channel(String)}, delivered at commit (PostgreSQL
 * also folds identical notifications of one transaction into one). Workers claim with
 * {@code FOR UPDATE SKIP LOCKED}, so concurrent claimers never wait on each other and never get
 * the same step. Leases and due times use the database clock, never the JVM's, so machines with
 * skewed clocks agree.
 *
 * <p>Methods that take a {@link Connection} run in the caller's transaction and throw
 * {@link SQLException} like JDBC does; the {@link DataSource} overloads run as their own
 * transaction and throw {@link io.tasker.core.db.DatabaseException}. Every operation is one
 * statement, and every state change appends its history row in that statement.
 */
public final class StepQueue {
    static final String CHANNEL_PREFIX = "tasker_ready_";
    /** PostgreSQL truncates identifiers longer than this, which would break LISTEN. */
    private static final int MAX_CHANNEL_BYTES = 63;

    private StepQueue() {}

    /**
     * The four ways a step becomes claimable differ only in which rows they take. Each
     * {@code candidates} query locks its rows and gives, per row, the state it leaves, the attempts
     * to keep and the history metadata; the update, history and notifications are shared. Its one
     * parameter after the candidates' own is the channel prefix.
     */
    private static String claimableSql(String candidates) {
        return """
                with candidates as (
                %s
                ), ready as (
                    update tasker_steps s
                       set state = 'enqueued', attempts = c.attempts, enqueued_at = now(), next_attempt_at = null,
                           claimed_by = null, lease_until = null, updated_at = now()
                      from candidates c
                     where s.id = c.id
                    returning s.id, s.task_id, s.namespace, c.state as from_state, c.metadata
                ), history as (
                    insert into tasker_step_transitions (step_id, task_id, from_state, to_state, metadata)
                    select id, task_id, from_state, 'enqueued', metadata from ready
                ), notified as (
                    select pg_notify(?::text || namespace, namespace)
                      from (select distinct namespace from ready) namespaces
                )
                select (select count(*) from ready) as enqueued, (select count(*) from notified) as notified
                """.formatted(candidates.indent(4).stripTrailing());
    }

    // Locked in id order so two transactions enqueueing overlapping sets cannot deadlock.
    private static final String ENQUEUE = claimableSql("""
            select id, state, attempts, null::jsonb as metadata
              from tasker_steps
             where id = any(?) and state in ('pending', 'waiting_for_retry')
             order by id
               for update
            """);

    private static final String RELEASE = claimableSql("""
            select id, state, greatest(attempts - 1, 0) as attempts,
                   jsonb_build_object('reason', 'released', 'claimed_by', claimed_by) as metadata
              from tasker_steps
             where id = ? and state = 'in_progress' and claimed_by = ?
               for update
            """);

    private static final String REQUEUE_EXPIRED_LEASES = claimableSql("""
            select id, state, attempts,
                   jsonb_build_object('reason', 'lease_expired', 'claimed_by', claimed_by) as metadata
              from tasker_steps
             where state = 'in_progress' and lease_until < now() and attempts < max_attempts
             order by lease_until
             limit ?
               for update skip locked
            """);

    private static final String ENQUEUE_DUE_RETRIES = claimableSql("""
            select id, state, attempts, jsonb_build_object('reason', 'retry_due') as metadata
              from tasker_steps
             where state = 'waiting_for_retry' and next_attempt_at <= now()
             order by next_attempt_at
             limit ?
               for update skip locked
            """);

    /*
     * One ordered scan of the claimable index per namespace, so a claim costs the same however deep
     * the queue is (a single "namespace = any(...)" scan would sort the whole backlog). Rows a scan
     * locked but the final limit left out stay enqueued and are unlocked at commit.
     */
    private static final String CLAIM_TEMPLATE = """
            with picked as (
                select s.id
                  from unnest(?::text[]) as ns (name)
                 cross join lateral (
                           select id, priority, enqueued_at
                             from tasker_steps
                            where state = 'enqueued' and namespace = ns.name%s
                            order by priority desc, enqueued_at, id
                            limit ?
                              for update skip locked
                       ) s
                 order by s.priority desc, s.enqueued_at, s.id
                 limit ?
            ), claimed as (
                update tasker_steps s
                   set state = 'in_progress', attempts = s.attempts + 1, claimed_by = ?,
                       lease_until = now() + make_interval(secs => ?), updated_at = now()
                  from picked p
                 where s.id = p.id
                returning s.id, s.task_id, s.namespace, s.name, s.handler_callable, s.attempts, s.max_attempts,
                          s.lease_until, s.claimed_by, s.priority, s.enqueued_at
            ), history as (
                insert into tasker_step_transitions (step_id, task_id, from_state, to_state, metadata)
                select id, task_id, 'enqueued', 'in_progress', jsonb_build_object('claimed_by', claimed_by)
                  from claimed
            )
            select id, task_id, namespace, name, handler_callable, attempts, max_attempts, lease_until
              from claimed
             order by priority desc, enqueued_at, id
            """;
    private static final String CLAIM = CLAIM_TEMPLATE.formatted("");

    /*
     * Only steps whose handler the claiming worker has: Java and Ruby workers (or workers with
     * different handler sets) can then share a namespace without taking each other's steps.
     */
    private static final String CLAIM_CALLABLES = CLAIM_TEMPLATE.formatted(" and handler_callable = any(?::text[])");


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
     * Makes {@code pending} or {@code waiting_for_retry} steps claimable; steps in any other state
     * are left alone. Call it in the transaction that makes the steps ready.
     *
     * @return how many steps were enqueued
     */
    public static int enqueue(Connection connection, Collection<UUID> stepIds) throws SQLException {
        if (stepIds.isEmpty()) {
            return 0;
        }
        return makeClaimable(connection, ENQUEUE, Jdbc.uuidArray(stepIds));
    }

    /**
     * Claims up to {@code limit} enqueued steps of the given namespaces, highest priority first and
     * then in the order they were enqueued. Ask only for as many as there are free handler slots.
     * Steps other claimers hold locked are skipped, so under contention the order is best effort.
     */
    public static List<ClaimedStep> claim(
            Connection connection, String workerId, Collection<String> namespaces, int limit, Duration lease)
            throws SQLException {
        return claim(connection, workerId, namespaces, null, limit, lease);
    }

    /**
     * As {@link #claim(Connection, String, Collection, int, Duration)}, taking only steps whose
     * handler callable is in {@code callables}; null takes any callable.
     */
    public static List<ClaimedStep> claim(Connection connection, String workerId, Collection<String> namespaces,
            Collection<String> callables, int limit, Duration lease) throws SQLException {
        double leaseSeconds = seconds(lease);
        if (limit <= 0 || namespaces.isEmpty() || (callables != null && callables.isEmpty())) {
            return List.of();
        }
        Jdbc.ArrayParam namespaceArray = Jdbc.textArray(new LinkedHashSet<>(namespaces));
        Object[] params = callables == null
                ? new Object[] {namespaceArray, limit, limit, workerId, leaseSeconds}
                : new Object[] {namespaceArray, Jdbc.textArray(new LinkedHashSet<>(callables)), limit, limit, workerId,
                        leaseSeconds};
        return Jdbc.query(connection, callables == null ? CLAIM : CLAIM_CALLABLES, row -> new ClaimedStep(
                        Jdbc.uuid(row, "id"),
                        Jdbc.uuid(row, "task_id"),
                        row.getString("namespace"),
                        row.getString("name"),
                        row.getString("handler_callable"),
                        row.getInt("attempts"),
                        row.getInt("max_attempts"),
                        Jdbc.instant(row, "lease_until")),
                params);
    }

    public static List<ClaimedStep> claim(
            DataSource dataSource, String workerId, Collection<String> namespaces, int limit, Duration lease) {
        return claim(dataSource, workerId, namespaces, null, limit, lease);
    }

    public static List<ClaimedStep> claim(DataSource dataSource, String workerId, Collection<String> namespaces,
            Collection<String> callables, int limit, Duration lease) {
        return Jdbc.withConnection(dataSource, c -> claim(c, workerId, namespaces, callables, limit, lease));
    }

    /** Moves the lease of a step this worker holds to {@code lease} from now; false if it no longer holds it. */
    public static boolean extendLease(Connection connection, UUID stepId, String workerId, Duration lease)
            throws SQLException {
        return Jdbc.update(connection, EXTEND_LEASE, seconds(lease), stepId, workerId) == 1;
    }

    public static boolean extendLease(DataSource dataSource, UUID stepId, String workerId, Duration lease) {
        return Jdbc.withConnection(dataSource, c -> extendLease(c, stepId, workerId, lease));
    }

    /**
     * A worker's heartbeat: moves the leases of all the given steps it holds to {@code lease} from
     * now, in one statement however many steps it runs. Returns the ids it still holds; a step
     * missing from the answer was finished, released or lost to lease expiry.
     */
    public static Set<UUID> extendLeases(DataSource dataSource, Collection<UUID> stepIds, String workerId,
            Duration lease) {
        double leaseSeconds = seconds(lease);
        if (stepIds.isEmpty()) {
            return Set.of();
        }
        return Jdbc.withConnection(dataSource, c -> Set.copyOf(Jdbc.query(c, EXTEND_LEASES,
                row -> Jdbc.uuid(row, "id"), leaseSeconds, Jdbc.uuidArray(stepIds), workerId)));
    }

    /**
     * Gives a claimed step back unrun, as on shutdown: it is claimable again and the attempt is not
     * counted. False if this worker does not hold it.
     */
    public static boolean release(Connection connection, UUID stepId, String workerId) throws SQLException {
        return makeClaimable(connection, RELEASE, stepId, workerId) == 1;
    }

    public static boolean release(DataSource dataSource, UUID stepId, String workerId) {
        return Jdbc.withConnection(dataSource, c -> release(c, stepId, workerId));
    }

    /**
     * Makes steps whose lease ran out claimable again, at most {@code maxRows} of them. The attempt
     * stays counted: the worker may have died halfway through the handler. Steps that have used
     * all their attempts are left for orchestration, which fails them and finalizes their task.
     */
    public static int requeueExpiredLeases(Connection connection, int maxRows) throws SQLException {
        return maxRows <= 0 ? 0 : makeClaimable(connection, REQUEUE_EXPIRED_LEASES, maxRows);
    }

    public static int requeueExpiredLeases(DataSource dataSource, int maxRows) {
        return Jdbc.withConnection(dataSource, c -> requeueExpiredLeases(c, maxRows));
    }

    /** Makes retries whose {@code next_attempt_at} has come claimable, at most {@code maxRows} of them. */
    public static int enqueueDueRetries(Connection connection, int maxRows) throws SQLException {
        return maxRows <= 0 ? 0 : makeClaimable(connection, ENQUEUE_DUE_RETRIES, maxRows);
    }

    public static int enqueueDueRetries(DataSource dataSource, int maxRows) {
        return Jdbc.withConnection(dataSource, c -> enqueueDueRetries(c, maxRows));
    }

    private static int makeClaimable(Connection connection, String sql, Object... candidateParams)
            throws SQLException {
        Object[] params = new Object[candidateParams.length + 1];
        System.arraycopy(candidateParams, 0, params, 0, candidateParams.length);
        params[candidateParams.length] = CHANNEL_PREFIX;
        return Jdbc.queryOne(connection, sql, row -> row.getInt("enqueued"), params).orElseThrow();
    }

    private static double seconds(Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lease must be positive, got " + lease);
        }
        return lease.toNanos() / 1e9;
    }
}
