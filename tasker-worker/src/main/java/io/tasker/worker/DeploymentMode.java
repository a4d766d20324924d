package io.tasker.worker;

/**
 * How a worker learns that steps are ready: by polling, by LISTEN/NOTIFY, or both (polling is
 * then the safety net for lost notifications).
 */
public enum DeploymentMode {
    POLLING,
    EVENT_DRIVEN,
    HYBRID;

    /** Whether the worker LISTENs for ready-step notifications. */
    public boolean listens() {
        return this != POLLING;
    }

    /** Whether the worker claims on a fixed tick. */
    public boolean polls() {
        return this != EVENT_DRIVEN;
    }
}
