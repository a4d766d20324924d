package io.tasker.worker;

import io.tasker.orchestration.LocalDispatch;

import java.util.Collection;

/**
 * The workers running in this JVM as a {@link LocalDispatch}: a task creator given it hands a new
 * task's first steps to a worker here that serves the task's namespace and has free slots, in the
 * transaction that creates the task. Workers started and stopped later are found as they come.
 */
public final class LocalWorkers implements LocalDispatch {
    private static final LocalWorkers IN_THIS_PROCESS = new LocalWorkers();

    private LocalWorkers() {}

    public static LocalDispatch inThisProcess() {
        return IN_THIS_PROCESS;
    }

    @Override
    public Reservation reserve(String namespace, Collection<String> callables, int max) {
        for (WorkerSystemHandle worker : WorkerBootstrap.running()) {
            if (worker.core().serves(namespace, callables)) {
                Reservation reservation = worker.core().reserve(max);
                if (reservation != null) {
                    return reservation;
                }
            }
        }
        return null;
    }
}
