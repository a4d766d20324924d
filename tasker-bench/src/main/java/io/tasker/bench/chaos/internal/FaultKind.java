package io.tasker.bench.chaos.internal;

/** What the chaos driver does to the system, in the words of the report. */
enum FaultKind {
    WORKER_KILL("kill -9 worker"),
    WORKER_TERM("SIGTERM worker"),
    SERVER_KILL("kill -9 server"),
    POSTGRES_RESTART("PostgreSQL restart"),
    POSTGRES_CRASH("PostgreSQL immediate stop");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    boolean stopsDatabase() {
        return this == POSTGRES_RESTART || this == POSTGRES_CRASH;
    }
}
