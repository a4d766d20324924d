package io.tasker.core;

/** The root of Tasker's exceptions, so callers can catch everything Tasker refuses in one place. */
public class TaskerException extends RuntimeException {
    public TaskerException(String message) {
        super(message);
    }

    public TaskerException(String message, Throwable cause) {
        super(message, cause);
    }
}
