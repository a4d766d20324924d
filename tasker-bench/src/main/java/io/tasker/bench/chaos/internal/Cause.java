package io.tasker.bench.chaos.internal;

/** Why a step ran again: why one of its executions did not give the result that was recorded. */
enum Cause {
    KILLED_RUNNING("its worker was killed (kill -9) while it ran", true),
    KILLED_BEFORE_RECORDING("its worker was killed (kill -9) after it finished, before its result was recorded", true),
    RELEASED_ON_SIGTERM("its worker got SIGTERM and it did not finish within the shutdown timeout, so it was "
            + "released", true),
    NOT_RECORDED_ON_SIGTERM("its worker got SIGTERM and it finished within the shutdown timeout, yet its result "
            + "was not recorded", false),
    DATABASE_OUTAGE("PostgreSQL was down while it ran or while its result waited to be recorded, and its lease "
            + "ran out", true),
    UNEXPLAINED("no fault explains it", false);

    private final String description;
    private final boolean expected;

    Cause(String description, boolean expected) {
        this.description = description;
        this.expected = expected;
    }

    public String description() {
        return description;
    }

    /** Whether the guarantees allow it under its fault; an unexpected one is a problem found. */
    public boolean expected() {
        return expected;
    }
}
