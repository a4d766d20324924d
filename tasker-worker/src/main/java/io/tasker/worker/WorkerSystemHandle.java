package io.tasker.worker;

import io.tasker.core.db.Database;
import io.tasker.worker.internal.JavaHandlerSubscriber;
import io.tasker.worker.internal.WorkerCore;

import java.util.Set;

/**
 * A running worker, as {@link WorkerBootstrap#bootstrap} returns it: its status, its event system,
 * and the two ways to stop it. A worker started on a database URL closes its connection pool when
 * it stops; one given a {@code Database} leaves it open for its owner to close.
 */
public final class WorkerSystemHandle implements AutoCloseable {
    private final WorkerConfig config;
    private final Database database;
    private final boolean ownsDatabase;
    private final WorkerCore core;
    private final JavaHandlerSubscriber javaHandlers;

    WorkerSystemHandle(WorkerConfig config, Database database, boolean ownsDatabase, WorkerCore core,
            JavaHandlerSubscriber javaHandlers) {
        this.config = config;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.core = core;
        this.javaHandlers = javaHandlers;
    }

    public String workerId() {
        return config.workerId();
    }

    public WorkerConfig config() {
        return config;
    }

    /**
     * The callables this worker runs (its Java handlers' and those of every other handler layer
     * subscribed to it), sorted; null when a handler layer cannot list its own and the worker
     * claims every step of its namespaces.
     */
    public Set<String> callables() {
        return core.callables();
    }

    /** True until {@link #stop()} has finished, including during a graceful shutdown. */
    public boolean isRunning() {
        return core.state() != WorkerCore.State.STOPPED;
    }

    /**
     * The status fields of the design note; {@code workerCoreStatus} is {@code running},
     * {@code graceful_shutdown} or {@code stopped}.
     */
    public WorkerSystemStatus status() {
        return new WorkerSystemStatus(isRunning(), config.environment(), core.state().statusName(),
                config.webApiEnabled(), config.namespaces(), database.poolSize(), database.idleConnections());
    }

    WorkerCore core() {
        return core;
    }

    /** The bus between this worker and its handler layers, where another layer subscribes. */
    public WorkerEventSystem eventSystem() {
        return core.eventSystem();
    }

    /**
     * Stops claiming steps; steps in flight finish and their results are recorded, until the
     * shutdown timeout from now, when {@link #stop()} releases the rest.
     */
    public void transitionToGracefulShutdown() {
        core.beginGracefulShutdown();
    }

    /**
     * After {@link #transitionToGracefulShutdown()}: waits until no step is in flight or the
     * shutdown timeout since then passed; true when none is left.
     */
    public boolean awaitDrained() {
        return core.awaitDrained();
    }

    /** Steps this worker holds now, each in a handler slot. */
    public int inFlightSteps() {
        return core.inFlightSteps();
    }

    /**
     * Handler threads that did not stop after their step was cancelled and have not returned
     * since; non-zero makes the health check say {@code degraded}.
     */
    public int stuckHandlers() {
        return core.stuckHandlers();
    }

    /**
     * Stops claiming, waits until the shutdown timeout from the beginning of the graceful shutdown
     * for steps in flight, then stops
     * their handlers and releases their claims so they run again without counting an attempt.
     * Later calls do nothing.
     */
    public void stop() {
        core.stop();
        javaHandlers.close();
        WorkerBootstrap.stopped(this);
        if (ownsDatabase) {
            database.close();
        }
    }

    /** The same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
