package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.core.db.Database;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiServices;
import io.tasker.server.api.ApiSettings;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerSystemHandle;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The parts of a Tasker process on one database, started in dependency order and stopped in
 * reverse. {@code tasker dev} runs all of them, {@code tasker server} the schema, templates,
 * orchestrator and API, {@code tasker worker} only workers: one assembly serves every mode, so
 * they cannot drift apart.
 *
 * <p>There are two workers: one for the Java handlers (those on the classpath and those of the
 * {@code --handlers} jars), and, when asked for, one for Ruby handlers on JRuby. Unless told which
 * namespaces to serve, each serves the namespaces with a registered template that has a step its
 * handlers run, so neither listens for steps only the other can run. The steps of the served
 * namespaces and of the templates it registered that no handler loaded here runs are
 * {@linkplain #unservedSteps() listed}, for the command to warn about.
 *
 * <p>The API starts last, so a client that can reach it finds everything behind it running; it
 * stops first, so no task is accepted while the workers drain. The workers stop claiming all at
 * once and share one deadline, the shutdown timeout from then: steps that finish by then are
 * recorded, the rest are released to run elsewhere without counting an attempt. The node owns
 * the database and closes it after everything that uses it.
 */
public final class TaskerNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskerNode.class);

    private final Database database;
    private final MigrateResult migration;
    private final List<TemplateRegistration> templates;
    private final Workers workers;
    private final JavaHandlers.Loaded javaHandlers;
    private final RubyHandlers.Loaded rubyHandlers;
    private final ApiServer api;
    private final Deque<AutoCloseable> running;

    private TaskerNode(Database database, MigrateResult migration, List<TemplateRegistration> templates,
                       Workers workers, JavaHandlers.Loaded javaHandlers, RubyHandlers.Loaded rubyHandlers, ApiServer api,
                       Deque<AutoCloseable> running) {
        this.database = database;
        this.migration = migration;
        this.templates = templates;
        this.workers = workers;
        this.javaHandlers = javaHandlers;
        this.rubyHandlers = rubyHandlers;
        this.api = api;
        this.running = running;
    }

    /** Starts a node on {@code database}, which it then owns; see {@link Builder}. */
    public static Builder on(Database database) {
        return new Builder(database);
    }

    /** Which parts to run; each is off until asked for. */
    public static final class Builder {
        private final Database database;
        private boolean migrate;
        private List<TemplateLoadResult.Loaded> templates = List.of();
        private boolean replaceChanged;
        private OrchestratorOptions orchestrator;
        private boolean worker;
        private JavaHandlers.Loaded javaHandlers;
        private RubyHandlers.Loaded rubyHandlers;
        private List<String> namespaces = List.of();
        private WorkerConfig.Builder workerConfig = WorkerConfig.builder();
        private String apiHost;
        private int apiPort;
        private ApiSettings apiSettings = ApiSettings.OPEN;

        private Builder(Database database) {
            this.database = database;
        }

        /** Brings the schema up to date first. */
        public Builder migrate() {
            this.migrate = true;
            return this;
        }

        /** Registers templates, all in one transaction: a conflicting one registers none. */
        public Builder register(List<TemplateLoadResult.Loaded> templates) {
            this.templates = List.copyOf(templates);
            return this;
        }

        /**
         * Lets a template that changed under its registered version replace it when no task that
         * may still run uses it ({@link TemplateRegistry#registerOrReplace}): for {@code tasker dev}.
         */
        public Builder replacingChangedTemplates() {
            this.replaceChanged = true;
            return this;
        }

        public Builder orchestrator(OrchestratorOptions options) {
            this.orchestrator = options;
            return this;
        }

        /**
         * Runs a worker with the Java handlers found through {@code ServiceLoader} (on the classpath,
         * unless {@link #javaHandlers} gives others), serving {@code namespaces}, or when empty every
         * namespace with a registered template that has a step one of those handlers runs. The
         * namespaces also go to the Ruby worker.
         */
        public Builder worker(List<String> namespaces) {
            this.worker = true;
            this.namespaces = List.copyOf(namespaces);
            return this;
        }

        /**
         * The Java handlers the worker runs, loaded beforehand; the node closes them when it stops,
         * after its workers.
         */
        public Builder javaHandlers(JavaHandlers.Loaded handlers) {
            this.javaHandlers = handlers;
            return this;
        }

        /**
         * Also runs a Ruby worker with {@code handlers}, loaded beforehand. It serves the
         * namespaces given to {@link #worker}, or when none were given every namespace with a
         * registered template that has a step a Ruby handler runs.
         */
        public Builder rubyWorker(RubyHandlers.Loaded handlers) {
            this.rubyHandlers = handlers;
            return this;
        }

        /** Settings for the worker beyond its namespaces (concurrency, deployment mode). */
        public Builder workerConfig(WorkerConfig.Builder config) {
            this.workerConfig = config;
            return this;
        }

        /** Serves an open REST API on {@code host:port} (port 0: any free one), which must be loopback. */
        public Builder api(String host, int port) {
            return api(host, port, ApiSettings.OPEN);
        }

        /** Serves the REST API on {@code host:port} (port 0: any free one), its access as {@code settings} say. */
        public Builder api(String host, int port, ApiSettings settings) {
            this.apiHost = host;
            this.apiPort = port;
            this.apiSettings = settings;
            return this;
        }

        /** Starts the parts; if one fails, those already started are stopped and the error is thrown. */
        public TaskerNode start() {
            Deque<AutoCloseable> running = new ArrayDeque<>();
            running.push(database);
            if (javaHandlers != null) {
                running.push(javaHandlers);
            }
            try {
                MigrateResult migration = migrate ? database.migrate() : null;
                if (!migrate) {
                    database.requireSchema();
                }
                List<TemplateRegistration> registered = registerAll(database, templates, replaceChanged);
                if (orchestrator != null) {
                    running.push(Orchestrator.start(database.dataSource(), orchestrator));
                }
                Workers workers = startWorkers(running, registered);
                ApiServer api = null;
                if (apiHost != null) {
                    api = ApiServer.start(apiHost, apiPort, ApiServices.on(database.dataSource()), apiSettings);
                    running.push(api);
                }
                return new TaskerNode(database, migration, registered, workers, worker ? javaHandlers : null,
                        rubyHandlers, api, running);
            } catch (RuntimeException e) {
                closeAll(running, e);
                throw e;
            }
        }

        private Workers startWorkers(Deque<AutoCloseable> running, List<TemplateRegistration> registered) {
            if (!worker && rubyHandlers == null) {
                return Workers.NONE;
            }
            ServableNamespaces servable = ServableNamespaces.of(database);
            List<String> java = List.of();
            Set<String> javaCallables = Set.of();
            WorkerConfig javaConfig = null;
            if (worker) {
                if (javaHandlers == null) {
                    javaHandlers = JavaHandlers.classpathOnly().load();
                    running.push(javaHandlers);
                }
                StepHandlerRegistry handlers = javaHandlers.registry();
                javaCallables = new TreeSet<>(handlers.callables());
                java = !namespaces.isEmpty() ? namespaces : servable.runBy(javaCallables);
                if (!java.isEmpty()) {
                    javaConfig = workerConfig(java);
                    running.push(new JavaWorker(WorkerBootstrap.bootstrap(javaConfig, database, handlers)));
                }
            }
            List<String> ruby = List.of();
            Set<String> rubyCallables = Set.of();
            if (rubyHandlers != null) {
                rubyCallables = new TreeSet<>(RubyWorker.callables());
                ruby = !namespaces.isEmpty() ? namespaces : servable.runBy(rubyCallables);
                if (!ruby.isEmpty()) {
                    running.push(RubyWorker.start(database.url(), workerConfig(ruby)));
                }
            }
            // Only when no namespaces were given: given ones always leave a worker something to serve.
            if (java.isEmpty() && ruby.isEmpty()) {
                throw servable.nothingToServe();
            }
            Set<String> served = new TreeSet<>(java);
            served.addAll(ruby);
            Set<String> loaded = new TreeSet<>(javaCallables);
            loaded.addAll(rubyCallables);
            return new Workers(java, javaCallables, javaConfig, ruby, rubyCallables, servable.unserved(served,
                    registered.stream().map(TemplateRegistration::template).toList(), loaded));
        }

        private WorkerConfig workerConfig(List<String> served) {
            try {
                return workerConfig.namespaces(served).build();
            } catch (IllegalArgumentException e) {
                throw new TaskerException("cannot start the worker: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The namespaces each worker serves, empty for a worker that does not run; the callables of the
     * handlers each loaded; the Java worker's settings, null when it does not run; and the steps of
     * the served namespaces none of those handlers runs.
     */
    private record Workers(List<String> java, Set<String> javaCallables, WorkerConfig javaConfig, List<String> ruby,
                           Set<String> rubyCallables, List<UnservedStep> unserved) {
        static final Workers NONE = new Workers(List.of(), Set.of(), null, List.of(), Set.of(), List.of());
    }

    private static List<TemplateRegistration> registerAll(Database database, List<TemplateLoadResult.Loaded> templates,
                                                          boolean replaceChanged) {
        if (templates.isEmpty()) {
            return List.of();
        }
        TemplateRegistry registry = new TemplateRegistry(database.dataSource());
        return Jdbc.inTransaction(database.dataSource(), connection -> templates.stream()
                .map(t -> new TemplateRegistration(t.template(), t.source(), replaceChanged
                        ? registry.registerOrReplace(connection, t.template(), t.source())
                        : registry.register(connection, t.template(), t.source())))
                .toList());
    }

    /**
     * A worker of the node, stopped in two stages so that all of them share one deadline: stop
     * claiming (the shutdown timeout runs from then), then {@link #close} once the deadline passed
     * or the steps in flight are done, which releases whatever is still running.
     */
    interface NodeWorker extends AutoCloseable {
        /** Stops claiming; steps in flight go on until the worker's shutdown timeout from now. */
        void beginShutdown();

        int inFlightSteps();

        Duration shutdownTimeout();
    }

    private record JavaWorker(WorkerSystemHandle handle) implements NodeWorker {
        @Override
        public void beginShutdown() {
            handle.transitionToGracefulShutdown();
        }

        @Override
        public int inFlightSteps() {
            return handle.inFlightSteps();
        }

        @Override
        public Duration shutdownTimeout() {
            return handle.config().shutdownTimeout();
        }

        @Override
        public void close() {
            handle.stop();
        }
    }

    public Database database() {
        return database;
    }

    /** What migrating did, when this node migrated. */
    public Optional<MigrateResult> migration() {
        return Optional.ofNullable(migration);
    }

    public List<TemplateRegistration> templates() {
        return templates;
    }

    /** The namespaces the Java handlers' worker serves; empty when this node runs none. */
    public List<String> workerNamespaces() {
        return workers.java();
    }

    /** The callables of the Java handlers on the classpath, sorted; empty when this node runs no worker. */
    public Set<String> workerCallables() {
        return workers.javaCallables();
    }

    /** The settings of the Java handlers' worker, when this node runs it. */
    public Optional<WorkerConfig> workerConfig() {
        return Optional.ofNullable(workers.javaConfig());
    }

    /** The namespaces the Ruby worker serves; empty when this node runs none. */
    public List<String> rubyWorkerNamespaces() {
        return workers.ruby();
    }

    /** The callables of the Ruby handlers loaded, sorted; empty when this node has none. */
    public Set<String> rubyWorkerCallables() {
        return workers.rubyCallables();
    }

    /**
     * The steps that none of this node's handlers, Java or Ruby, runs, of the templates it
     * registered and of the newest version of each template in a namespace its workers serve:
     * tasks of those templates wait until a worker elsewhere that runs them starts. Empty when it
     * runs no worker.
     */
    public List<UnservedStep> unservedSteps() {
        return workers.unserved();
    }

    /** The Java handlers of this node's worker, when it runs one, and where they came from. */
    public Optional<JavaHandlers.Loaded> javaHandlers() {
        return Optional.ofNullable(javaHandlers);
    }

    /** The Ruby handlers this node was given, when it was. */
    public Optional<RubyHandlers.Loaded> rubyHandlers() {
        return Optional.ofNullable(rubyHandlers);
    }

    public Optional<ApiServer> api() {
        return Optional.ofNullable(api);
    }

    /** As {@link #stop}, saying in the log what it waits for. */
    @Override
    public void close() {
        stop(log::info);
    }

    /**
     * Stops every part in reverse start order, the database last; a part that fails to stop does
     * not keep the rest running. The workers stop claiming together, and {@code progress} hears
     * what they still wait for ("waiting up to 30 s for 2 steps").
     */
    public void stop(Consumer<String> progress) {
        RuntimeException failure = closeAll(running, null, progress);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeAll(Deque<AutoCloseable> running, RuntimeException pending) {
        return closeAll(running, pending, log::info);
    }

    private static RuntimeException closeAll(Deque<AutoCloseable> running, RuntimeException pending,
                                             Consumer<String> progress) {
        RuntimeException failure = pending;
        boolean workersStopping = false;
        while (!running.isEmpty()) {
            AutoCloseable part = running.peek();
            if (part instanceof NodeWorker && !workersStopping) {
                workersStopping = true;
                beginWorkerShutdown(running, progress);
            }
            running.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new TaskerException("stopping failed: " + e, e);
                } else if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    private static void beginWorkerShutdown(Deque<AutoCloseable> running, Consumer<String> progress) {
        List<NodeWorker> workers = running.stream().filter(NodeWorker.class::isInstance).map(NodeWorker.class::cast)
                .toList();
        workers.forEach(worker -> {
            try {
                worker.beginShutdown();
            } catch (RuntimeException e) {
                log.warn("a worker failed to stop claiming: {}", e.toString());
            }
        });
        int steps = workers.stream().mapToInt(NodeWorker::inFlightSteps).sum();
        if (steps > 0) {
            long seconds = workers.stream().map(NodeWorker::shutdownTimeout).max(Comparator.naturalOrder())
                    .orElseThrow().toSeconds();
            progress.accept("waiting up to " + seconds + " s for " + steps + (steps == 1 ? " step" : " steps")
                    + " in flight; steps not done by then are released to run again");
        }
    }
}
