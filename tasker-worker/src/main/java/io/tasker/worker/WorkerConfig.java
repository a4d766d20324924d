package io.tasker.worker;

import io.tasker.core.queue.StepQueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * How a worker runs. Build one with {@link #builder()}: every option but {@code namespaces} has a
 * safe default, and the constructor refuses a combination that cannot work, naming every problem
 * at once.
 *
 * @param workerId who holds the claims; unique per running worker (default {@code worker-<uuid>})
 * @param environment reported in the status (default {@code TASKER_ENV}, else {@code development})
 * @param namespaces the namespaces whose steps this worker claims (required)
 * @param deploymentMode how the worker learns of ready steps (default {@link DeploymentMode#HYBRID})
 * @param maxConcurrentSteps handler slots: the most steps this worker holds at once (default 16)
 * @param lease how long a claim lasts without a heartbeat (default 30 s)
 * @param heartbeatInterval how often the leases of running steps are extended (default lease / 3)
 * @param pollInterval how long an idle worker waits before it claims without a notification, when
 *     polling (default 1 s)
 * @param maxPollInterval the longest that wait grows to: each claim that finds nothing doubles it,
 *     up to this, and a claim that finds work sets it back to {@code pollInterval} (default
 *     {@code pollInterval}: no growth, so a step that nothing announces waits at most that long)
 * @param shutdownTimeout how long {@code stop()} waits for running steps (default 30 s)
 * @param cancelGrace how long a handler may take to stop once its step is cancelled (timed out,
 *     claim lost) before its thread counts as stuck and is replaced, at most one replacement per
 *     slot (default 10 s)
 * @param webApiEnabled only reported in the status; the web API is the server's (default false)
 */
public record WorkerConfig(
        String workerId,
        String environment,
        List<String> namespaces,
        DeploymentMode deploymentMode,
        int maxConcurrentSteps,
        Duration lease,
        Duration heartbeatInterval,
        Duration pollInterval,
        Duration maxPollInterval,
        Duration shutdownTimeout,
        Duration cancelGrace,
        boolean webApiEnabled) {

    public static final int DEFAULT_MAX_CONCURRENT_STEPS = 16;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);
    /** Connections of a worker's pool beyond one per slot: see {@link #poolSizeFor}. */
    public static final int POOL_HEADROOM = 4;

    public WorkerConfig {
        namespaces = namespaces == null ? List.of() : List.copyOf(new LinkedHashSet<>(namespaces));
        List<String> problems = new ArrayList<>();
        if (workerId == null || workerId.isBlank()) {
            problems.add("workerId must not be blank");
        }
        if (environment == null || environment.isBlank()) {
            problems.add("environment must not be blank");
        }
        if (namespaces.isEmpty()) {
            problems.add("namespaces must name at least one namespace to claim steps from");
        }
        for (String namespace : namespaces) {
            try {
                StepQueue.channel(namespace);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (deploymentMode == null) {
            problems.add("deploymentMode is required (POLLING, EVENT_DRIVEN or HYBRID)");
        }
        if (maxConcurrentSteps < 1) {
            problems.add("maxConcurrentSteps must be at least 1, got " + maxConcurrentSteps);
        }
        positive(problems, "lease", lease);
        positive(problems, "heartbeatInterval", heartbeatInterval);
        positive(problems, "pollInterval", pollInterval);
        positive(problems, "maxPollInterval", maxPollInterval);
        if (pollInterval != null && maxPollInterval != null && maxPollInterval.compareTo(pollInterval) < 0) {
            problems.add("maxPollInterval (" + maxPollInterval + ") must not be shorter than pollInterval ("
                    + pollInterval + ")");
        }
        positive(problems, "cancelGrace", cancelGrace);
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            problems.add("shutdownTimeout must be zero or positive, got " + shutdownTimeout);
        }
        if (lease != null && heartbeatInterval != null && heartbeatInterval.compareTo(lease) >= 0) {
            problems.add("heartbeatInterval (" + heartbeatInterval + ") must be shorter than the lease (" + lease
                    + "), or claims expire while their steps run");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid worker configuration: " + String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be positive, got " + value);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The heartbeat interval of a worker with {@code lease} unless set: a third of it, so two
     * heartbeats can fail before a claim expires.
     */
    public static Duration heartbeatFor(Duration lease) {
        return lease.dividedBy(3);
    }

    /**
     * The most connections the pool of a worker with {@code slots} handler slots allows: one per
     * slot and {@link #POOL_HEADROOM} more. The worker's own threads hold at most three at a time
     * (the claim-and-record cycle, the heartbeat, releasing claims as it stops; LISTEN has a
     * connection outside the pool) and its handler threads none, so the slots never wait for a
     * connection however handlers come to use one. A pool opens connections only as they are
     * asked for, so the ceiling costs nothing until it is used.
     */
    public static int poolSizeFor(int slots) {
        return slots + POOL_HEADROOM;
    }

    /** A builder holding this configuration's values, to derive another one. */
    public Builder toBuilder() {
        return new Builder().workerId(workerId).environment(environment).namespaces(namespaces)
                .deploymentMode(deploymentMode).maxConcurrentSteps(maxConcurrentSteps).lease(lease)
                .heartbeatInterval(heartbeatInterval).pollInterval(pollInterval).maxPollInterval(maxPollInterval)
                .shutdownTimeout(shutdownTimeout)
                .cancelGrace(cancelGrace).webApiEnabled(webApiEnabled);
    }

    /** Collects options; unset ones take their defaults in {@link #build()}. */
    public static final class Builder {
        private String workerId;
        private String environment;
        private List<String> namespaces = List.of();
        private DeploymentMode deploymentMode = DeploymentMode.HYBRID;
        private int maxConcurrentSteps = DEFAULT_MAX_CONCURRENT_STEPS;
        private Duration lease = DEFAULT_LEASE;
        private Duration heartbeatInterval;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration maxPollInterval;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration cancelGrace = DEFAULT_CANCEL_GRACE;
        private boolean webApiEnabled;

        private Builder() {}

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        public Builder namespaces(String... namespaces) {
            return namespaces(List.of(namespaces));
        }

        public Builder namespaces(List<String> namespaces) {
            this.namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
            return this;
        }

        public Builder deploymentMode(DeploymentMode deploymentMode) {
            this.deploymentMode = deploymentMode;
            return this;
        }

        public Builder maxConcurrentSteps(int maxConcurrentSteps) {
            this.maxConcurrentSteps = maxConcurrentSteps;
            return this;
        }

        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** Unset, it is {@link #heartbeatFor} the lease. */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        /** Unset, it is the poll interval: an idle worker polls at one pace. */
        public Builder maxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = maxPollInterval;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder cancelGrace(Duration cancelGrace) {
            this.cancelGrace = cancelGrace;
            return this;
        }

        public Builder webApiEnabled(boolean webApiEnabled) {
            this.webApiEnabled = webApiEnabled;
            return this;
        }

        /** @throws IllegalArgumentException naming every option that is wrong */
        public WorkerConfig build() {
            // For a worker embedded in an application, started without Tasker's command line, which
            // passes the configured environment; the only place the worker reads the environment.
            String env = System.getenv("TASKER_ENV");
            return new WorkerConfig(
                    workerId != null ? workerId : "worker-" + UUID.randomUUID(),
                    environment != null ? environment : env != null && !env.isBlank() ? env : "development",
                    namespaces,
                    deploymentMode,
                    maxConcurrentSteps,
                    lease,
                    heartbeatInterval != null || lease == null ? heartbeatInterval : heartbeatFor(lease),
                    pollInterval,
                    maxPollInterval != null ? maxPollInterval : pollInterval,
                    shutdownTimeout,
                    cancelGrace,
                    webApiEnabled);
        }
    }
}
