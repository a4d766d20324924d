package io.tasker.worker;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.internal.JavaHandlerSubscriber;
import io.tasker.worker.internal.WorkerCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts a worker: its core, its event system with the Java handlers subscribed, and its claim loop.
 *
 * <p>An application runs Java handlers in its own JVM with
 * {@link #bootstrap(WorkerConfig, String, StepHandlerRegistry)}: a database URL, the namespaces to
 * serve and the handlers, registered in code or found through {@code ServiceLoader}. The other
 * overloads are for Tasker's own processes, which share one connection pool between their parts.
 */
public final class WorkerBootstrap {
    private static final Logger log = LoggerFactory.getLogger(WorkerBootstrap.class);
    private static final Set<WorkerSystemHandle> RUNNING = ConcurrentHashMap.newKeySet();

    private WorkerBootstrap() {}

    /**
     * Starts a worker on the Tasker database at {@code databaseUrl}
     * ({@code postgresql://user:password@host:5432/db} or {@code jdbc:postgresql://...}) with a
     * connection pool of its own ({@link WorkerConfig#poolSizeFor} its slots), closed when the worker
     * stops. The schema must be migrated
     * ({@code tasker db migrate}, or a running {@code tasker server}) and the templates of the
     * served namespaces registered.
     *
     * @throws io.tasker.core.TaskerException when the URL is not a PostgreSQL URL, the database cannot
     *     be reached or has no Tasker schema
     */
    public static WorkerSystemHandle bootstrap(WorkerConfig config, String databaseUrl, StepHandlerRegistry handlers) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handlers, "handlers");
        Database database = Database.connect(DatabaseUrl.parse(Objects.requireNonNull(databaseUrl, "databaseUrl")),
                WorkerConfig.poolSizeFor(config.maxConcurrentSteps()));
        try {
            database.requireSchema();
            return start(config, database, handlers, List.of(), true);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Starts a worker that runs the Java handlers of {@code handlers}; {@code database} stays its caller's. */
    public static WorkerSystemHandle bootstrap(WorkerConfig config, Database database, StepHandlerRegistry handlers) {
        return bootstrap(config, database, handlers, List.of());
    }

    /**
     * Starts a worker whose steps go to its Java handlers first and then to {@code subscribers}
     * (another language's handler layer), all subscribed before the first step is claimed.
     *
     * @throws io.tasker.core.db.DatabaseException if the worker cannot listen for ready steps
     */
    public static WorkerSystemHandle bootstrap(WorkerConfig config, Database database, StepHandlerRegistry handlers,
            List<? extends StepExecutionSubscriber> subscribers) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(handlers, "handlers");
        return start(config, database, handlers, subscribers, false);
    }

    private static WorkerSystemHandle start(WorkerConfig config, Database database, StepHandlerRegistry handlers,
            List<? extends StepExecutionSubscriber> subscribers, boolean ownsDatabase) {
        WorkerCore core = new WorkerCore(config, database);
        JavaHandlerSubscriber javaHandlers = new JavaHandlerSubscriber(handlers, core.eventSystem(),
                config.workerId(), config.maxConcurrentSteps());
        core.eventSystem().subscribe(javaHandlers);
        subscribers.forEach(core.eventSystem()::subscribe);
        try {
            core.start();
        } catch (RuntimeException e) {
            core.stop();
            javaHandlers.close();
            throw e;
        }
        Set<String> callables = core.callables();
        log.info("worker {} started: namespaces {}, {} mode, {} slots, runs {}", config.workerId(),
                config.namespaces(), config.deploymentMode(), config.maxConcurrentSteps(),
                callables == null ? "every callable of its namespaces" : callables.isEmpty() ? "no callable"
                        : String.join(", ", callables));
        WorkerSystemHandle handle = new WorkerSystemHandle(config, database, ownsDatabase, core, javaHandlers);
        RUNNING.add(handle);
        return handle;
    }

    /**
     * The workers started in this JVM and not yet stopped, whichever layer started them (the
     * server's, the Ruby bridge's), so monitoring can read their counters without a hand-off.
     */
    public static List<WorkerSystemHandle> running() {
        return List.copyOf(RUNNING);
    }

    static void stopped(WorkerSystemHandle handle) {
        RUNNING.remove(handle);
    }
}
