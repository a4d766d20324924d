package io.tasker.bench.internal;

import io.tasker.core.db.Database;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerSystemHandle;
import io.tasker.worker.handler.StepHandlerRegistry;

import java.util.List;

/** A worker with the Java handlers on the classpath, started as {@code tasker dev} starts its own. */
record JavaWorker(WorkerSystemHandle handle) implements AutoCloseable {

    static JavaWorker start(Database database, List<String> namespaces, int slots) {
        return start(database, namespaces, slots, "bench-java-" + namespaces.getFirst() + "-" + System.nanoTime());
    }

    /** As {@link #start(Database, List, int)}, with an id of the caller's, to find the steps it ran. */
    static JavaWorker start(Database database, List<String> namespaces, int slots, String workerId) {
        StepHandlerRegistry handlers = new StepHandlerRegistry()
                .loadServiceProviders(JavaWorker.class.getClassLoader());
        WorkerConfig config = WorkerConfig.builder()
                .workerId(workerId)
                .environment("bench")
                .namespaces(namespaces)
                .maxConcurrentSteps(slots)
                .build();
        return new JavaWorker(WorkerBootstrap.bootstrap(config, database, handlers));
    }

    @Override
    public void close() {
        handle.transitionToGracefulShutdown();
        handle.stop();
    }
}
