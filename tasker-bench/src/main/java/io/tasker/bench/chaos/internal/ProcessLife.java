package io.tasker.bench.chaos.internal;

/**
 * A server or worker process of a chaos run, from its start to its end.
 *
 * @param role {@code server} or {@code worker-N}
 * @param endedMicros when it was seen to have ended; null while it runs
 * @param fault the fault that ended it, 0 when none did
 */
record ProcessLife(String role, long pid, long startedMicros, Long endedMicros, Ending ending, int fault) {

    /** How the process ended. */
    enum Ending {
        /** {@code kill -9} by the driver. */
        KILLED,
        /** SIGTERM by the driver during the run. */
        TERMINATED,
        /** SIGTERM by the driver at the end of the run, after every task finished. */
        STOPPED,
        /** Without the driver's doing: a crash. */
        EXITED,
        RUNNING
    }

    ProcessLife ended(long atMicros, Ending how, int byFault) {
        return new ProcessLife(role, pid, startedMicros, atMicros, how, byFault);
    }
}
