package io.tasker.worker.handler;

/** A failure that retrying cannot fix: the step goes to error at once. */
public class PermanentException extends RuntimeException {
    public PermanentException(String message) {
        super(message);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
