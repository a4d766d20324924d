package io.tasker.ruby.internal;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.ruby.RubyBridgeException;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.WorkerSystemHandle;
import io.tasker.worker.WorkerSystemStatus;
import io.tasker.worker.handler.StepHandlerRegistry;
import org.jruby.Ruby;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.jruby.api.Create.newString;

/**
 * A worker started from Ruby, as the FFI holds it (the design note's {@code RubyBridgeHandle}):
 * the foundation's {@link WorkerSystemHandle}, the {@link RubyEventHandler} subscribed to its
 * event system, and the database the bridge opened for it.
 */
public final class RubyBridgeHandle implements AutoCloseable {
    private final WorkerSystemHandle system;
    private final RubyEventHandler eventHandler;
    private final Database database;

    private RubyBridgeHandle(WorkerSystemHandle system, RubyEventHandler eventHandler, Database database) {
        this.system = system;
        this.eventHandler = eventHandler;
        this.database = database;
    }

    /**
     * Connects to the database, registers the configured templates, and starts a worker whose
     * steps go to the Ruby handlers. Given no namespaces it serves those the Ruby handler classes
     * declare and those of the configured templates that have a step a Ruby handler runs.
     *
     * @throws IllegalArgumentException when the worker configuration is invalid
     * @throws RubyBridgeException when a template cannot be loaded
     */
    static RubyBridgeHandle start(Ruby runtime, BootstrapOptions options) {
        List<TemplateLoadResult> templates = loadTemplates(options.templatePaths(), options.environment());
        List<String> namespaces = options.namespaces() != null
                ? options.namespaces() : namespacesServedInRuby(runtime, templates);
        WorkerConfig config = workerConfig(options, namespaces);
        int poolSize = options.databasePoolSize() != null ? options.databasePoolSize()
                : WorkerConfig.poolSizeFor(config.maxConcurrentSteps());
        Database database = Database.connect(DatabaseUrl.parse(options.databaseUrl()), poolSize);
        RubyEventHandler eventHandler = null;
        try {
            registerTemplates(database, templates);
            EventSystemBinding binding = new EventSystemBinding();
            eventHandler = new RubyEventHandler(runtime, config.workerId(), binding, config.maxConcurrentSteps());
            WorkerSystemHandle system = WorkerBootstrap.bootstrap(config, database, new StepHandlerRegistry(),
                    List.of(eventHandler));
            binding.bind(system.eventSystem());
            return new RubyBridgeHandle(system, eventHandler, database);
        } catch (RuntimeException e) {
            if (eventHandler != null) {
                eventHandler.close();
            }
            database.close();
            throw e;
        }
    }

    private static WorkerConfig workerConfig(BootstrapOptions options, List<String> namespaces) {
        WorkerConfig.Builder builder = WorkerConfig.builder()
                .workerId(options.workerId())
                .environment(options.environment())
                .namespaces(namespaces)
                .deploymentMode(options.deploymentMode())
                .webApiEnabled(options.webApiEnabled());
        if (options.maxConcurrentSteps() != null) {
            builder.maxConcurrentSteps(options.maxConcurrentSteps());
        }
        if (options.lease() != null) {
            builder.lease(options.lease());
        }
        if (options.heartbeatInterval() != null) {
            builder.heartbeatInterval(options.heartbeatInterval());
        }
        if (options.pollInterval() != null) {
            builder.pollInterval(options.pollInterval());
        }
        if (options.maxPollInterval() != null) {
            builder.maxPollInterval(options.maxPollInterval());
        }
        if (options.shutdownTimeout() != null) {
            builder.shutdownTimeout(options.shutdownTimeout());
        }
        if (options.cancelGrace() != null) {
            builder.cancelGrace(options.cancelGrace());
        }
        return builder.build();
    }

    private static List<TemplateLoadResult> loadTemplates(List<String> paths, String environment) {
        if (paths.isEmpty()) {
            return List.of();
        }
        List<TemplateLoadResult> results = TemplateLoader.loadAll(paths.stream().map(Path::of).toList(), environment);
        List<String> problems = new ArrayList<>();
        for (TemplateLoadResult result : results) {
            if (result instanceof TemplateLoadResult.Rejected rejected) {
                rejected.problems().forEach(p -> problems.add(rejected.source() + ": " + p));
            }
        }
        if (!problems.isEmpty()) {
            throw new RubyBridgeException("cannot load templates: " + String.join("; ", problems));
        }
        return results;
    }

    /**
     * The namespaces the Ruby handler registry's classes declare, then those of the templates with
     * a step whose callable the registry has.
     */
    private static List<String> namespacesServedInRuby(Ruby runtime, List<TemplateLoadResult> templates) {
        ThreadContext context = runtime.getCurrentContext();
        IRubyObject registry = runtime.evalScriptlet("TaskerCore::Registry::HandlerRegistry.instance");
        Set<String> namespaces = new LinkedHashSet<>();
        for (Object declared : (List<?>) registry.callMethod(context, "namespaces")) {
            namespaces.add(declared.toString());
        }
        for (TemplateLoadResult result : templates) {
            TaskTemplate template = result.orThrow();
            boolean runsInRuby = template.steps().stream().anyMatch(step -> registry
                    .callMethod(context, "registered?", newString(context, step.handler().callable())).isTrue());
            if (runsInRuby) {
                namespaces.add(template.namespace());
            }
        }
        return List.copyOf(namespaces);
    }

    private static void registerTemplates(Database database, List<TemplateLoadResult> results) {
        if (results.isEmpty()) {
            return;
        }
        TemplateRegistry registry = new TemplateRegistry(database.dataSource());
        for (TemplateLoadResult result : results) {
            registry.register(result.orThrow(), result.source());
        }
    }

    public boolean isRunning() {
        return system.isRunning();
    }

    public WorkerSystemStatus status() {
        return system.status();
    }

    public RubyEventHandler eventHandler() {
        return eventHandler;
    }

    /**
     * Stops claiming and, when {@code wait}, waits for the steps in flight to finish and be
     * recorded, until the shutdown timeout from the first graceful shutdown's beginning (one
     * deadline, however many times this is called). True when none is left.
     */
    public boolean transitionToGracefulShutdown(boolean wait) {
        system.transitionToGracefulShutdown();
        return wait ? system.awaitDrained() : system.inFlightSteps() == 0;
    }

    public WorkerConfig config() {
        return system.config();
    }

    /** Steps the worker holds now. */
    public int inFlightSteps() {
        return system.inFlightSteps();
    }

    /** Stops the worker (it waits for, then cancels, running steps), the handler threads and the database. */
    @Override
    public void close() {
        try {
            system.stop();
        } finally {
            eventHandler.close();
            database.close();
        }
    }

    /**
     * The event system exists only once the worker is bootstrapped, but the Ruby subscriber must be
     * handed to the bootstrap. A completion that races ahead of {@link #bind} waits the moment it
     * takes the bootstrap to return instead of being lost.
     */
    private static final class EventSystemBinding implements RubyEventHandler.CompletionSink {
        private final CountDownLatch bound = new CountDownLatch(1);
        private volatile WorkerEventSystem eventSystem;

        void bind(WorkerEventSystem eventSystem) {
            this.eventSystem = eventSystem;
            bound.countDown();
        }

        @Override
        public boolean complete(StepExecutionCompletionEvent completion) {
            return bound().publishCompletion(completion);
        }

        @Override
        public void handlerReturned(UUID eventId) {
            bound().handlerReturned(eventId);
        }

        private WorkerEventSystem bound() {
            try {
                if (!bound.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the worker's event system was never bound");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the worker's event system", e);
            }
            return eventSystem;
        }
    }
}
