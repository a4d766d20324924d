package io.tasker.core.db;

import io.tasker.core.TaskerException;

/** The database could not be reached or did something the store did not expect. */
public class DatabaseException extends TaskerException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    public DatabaseException(String message) {
        super(message);
    }
}
