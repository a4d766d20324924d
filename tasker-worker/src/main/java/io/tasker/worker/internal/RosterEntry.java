package io.tasker.worker.internal;

import io.tasker.core.queue.WorkerRoster;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerEventSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.util.Set;
import java.util.TreeSet;

/**
 * A worker's row in the {@link WorkerRoster}: written when it starts, written again by each
 * heartbeat with the callables its handler layers run then, deleted when it stops claiming. Once
 * deleted it stays deleted, though a heartbeat already under way might otherwise write it back.
 */
final class RosterEntry {
    private static final Logger log = LoggerFactory.getLogger(RosterEntry.class);

    private final DataSource dataSource;
    private final WorkerConfig config;
    private final WorkerEventSystem eventSystem;
    private boolean left;

    RosterEntry(DataSource dataSource, WorkerConfig config, WorkerEventSystem eventSystem) {
        this.dataSource = dataSource;
        this.config = config;
        this.eventSystem = eventSystem;
    }

    /** @throws io.tasker.core.db.DatabaseException when the row cannot be written */
    synchronized void join() {
        WorkerRoster.join(dataSource, advert());
    }

    /** A failure is logged, not thrown: the next heartbeat tries again. */
    synchronized void heartbeat() {
        if (left) {
            return;
        }
        try {
            WorkerRoster.heartbeat(dataSource, advert());
        } catch (RuntimeException e) {
            log.warn("worker {} cannot renew its entry among the live workers: {}", config.workerId(), e.getMessage());
        }
    }

    /**
     * A failure is logged, not thrown: the row then counts as gone once its heartbeat is old
     * enough.
     */
    synchronized void leave() {
        if (left) {
            return;
        }
        left = true;
        try {
            WorkerRoster.leave(dataSource, config.workerId());
        } catch (RuntimeException e) {
            log.warn("worker {} cannot remove itself from the live workers; it counts as gone {} leases from its "
                    + "last heartbeat: {}", config.workerId(), WorkerRoster.GONE_AFTER_LEASES, e.getMessage());
        }
    }

    /** The callables the worker runs, sorted, or null when a handler layer cannot list its own. */
    Set<String> callables() {
        Set<String> callables = eventSystem.claimableCallables();
        return callables == null ? null : new TreeSet<>(callables);
    }

    private WorkerRoster.Advert advert() {
        return new WorkerRoster.Advert(config.workerId(), config.namespaces(), callables(), config.lease());
    }
}
