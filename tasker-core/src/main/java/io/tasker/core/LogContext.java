package io.tasker.core;

import org.slf4j.MDC;

import java.util.UUID;

/**
 * The task and step a thread works on, in SLF4J's MDC while the context is open, so every line
 * logged meanwhile names them; JSON log lines carry them as the fields {@code task_uuid},
 * {@code step_uuid}, {@code step_name} and {@code worker_id}. Closing puts back what the thread
 * had before, so contexts nest.
 *
 * <pre>{@code
 * try (LogContext ignored = LogContext.step(taskUuid, stepUuid, "charge", workerId)) {
 *     handler.call(step);
 * }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {
    public static final String TASK_UUID = "task_uuid";
    public static final String STEP_UUID = "step_uuid";
    public static final String STEP_NAME = "step_name";
    public static final String WORKER_ID = "worker_id";

    private static final String[] KEYS = {TASK_UUID, STEP_UUID, STEP_NAME, WORKER_ID};

    private final String[] previous = new String[KEYS.length];

    private LogContext(String... values) {
        for (int i = 0; i < KEYS.length; i++) {
            previous[i] = MDC.get(KEYS[i]);
            put(KEYS[i], values[i]);
        }
    }

    /** A step of a task, and the worker that runs or records it; null values are left out. */
    public static LogContext step(UUID taskUuid, UUID stepUuid, String stepName, String workerId) {
        return new LogContext(text(taskUuid), text(stepUuid), stepName, workerId);
    }

    /** A task as a whole. */
    public static LogContext task(UUID taskUuid) {
        return new LogContext(text(taskUuid), null, null, null);
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            put(KEYS[i], previous[i]);
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }
}
