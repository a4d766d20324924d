package io.tasker.worker;

/**
 * How a worker learns that steps are ready: by polling, by LISTEN/NOTIFY, or both (polling is
 * then the safety net for lost notifications).
 */
public enum DeploymentMode {
    POLLING,
    EVENT_DRIVEN,
    HYBRID;

    boolean listens() {
        return this != POLLING;
    }

    boolean polls() {
        return this != EVENT_DRIVEN;
    }
}
