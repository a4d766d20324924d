package io.tasker.bench.chaos.internal;

import java.util.UUID;

/**
 * One run of a step's handler as its journal tells it.
 *
 * @param run the execution's id, unique in a chaos run; the handler puts it in its result
 * @param pid the worker process it ran in
 * @param endMicros when the handler returned, or null when its process died first (the journal
 *     has no end line)
 * @param outcome {@code ok}, {@code cancelled} (told to stop) or {@code error}; null with no end
 */
record Execution(UUID step, int attempt, String run, long pid, long startMicros, Long endMicros,
                        String outcome) {

    public boolean ended() {
        return endMicros != null;
    }

    public boolean succeeded() {
        return "ok".equals(outcome);
    }
}
