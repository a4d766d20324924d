package io.tasker.worker;

import java.util.List;

/** The worker's status, with the fields the design note names. */
public record WorkerSystemStatus(
        boolean running,
        String environment,
        String workerCoreStatus,
        boolean webApiEnabled,
        List<String> supportedNamespaces,
        int databasePoolSize,
        int databasePoolIdle) {}
