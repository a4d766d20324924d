package io.tasker.bench.internal;

import io.tasker.bench.Target;

/** The performance targets of ARCHITECTURE.md, each where a scenario measures it. */
final class Targets {
    static final Target FORWARDING_P99 = Target.atMost(50, "p99 <= 50 us");
    static final Target LINEAR_IN_PROCESS_P50 = Target.atMost(3, "p50 <= 3 ms");
    static final Target LINEAR_IN_PROCESS_P99 = Target.atMost(10, "p99 <= 10 ms");
    static final Target LINEAR_REST_P50 = Target.atMost(5, "p50 <= 5 ms");
    static final Target LINEAR_REST_P99 = Target.atMost(15, "p99 <= 15 ms");
    static final Target RUBY_SLOWDOWN = Target.atMost(5, "<= 5 % slower");
    static final Target CREATE_REST_P50 = Target.atMost(1.5, "p50 <= 1.5 ms");
    static final Target THROUGHPUT = Target.atLeast(4_000, ">= 4,000 steps/s");
    static final Target POSTGRES_CPU_PER_STEP = Target.atMost(350, "<= 350 us");
    static final Target JVM_CPU_PER_STEP = Target.atMost(200, "<= 200 us");
    /** Steps/s over the one-row commits/s the same PostgreSQL takes with 4 clients, in %. */
    static final Target COMMIT_LIMIT_SHARE = Target.atLeast(40, ">= 40 % of commit limit");
    /** Latency with 1M finished tasks over latency before them (p50). */
    static final Target HISTORY_SLOWDOWN = Target.atMost(1.2, "<= 1.2x of empty");
    static final Target SOAK_GROWTH = Target.atMost(1, "flat (<= 1 MB/min)");

    private Targets() {}
}
