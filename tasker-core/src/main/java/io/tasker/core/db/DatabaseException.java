package io.tasker.core.db;

import io.tasker.core.TaskerException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The database refused or failed an operation; {@link #kind()} says whose problem it is, from the
 * error's SQLSTATE (as HikariCP classifies them): a value the database cannot hold is the
 * caller's, a lost connection is transient, a serialization failure or deadlock is worth running
 * again, anything else is a fault to look into.
 */
public class DatabaseException extends TaskerException {

    /** Whose problem a database error is. */
    public enum Kind {
        /** The database cannot be reached, or is shutting down or starting: try again later. */
        UNAVAILABLE,
        /** A value the database cannot hold or a constraint it refuses (SQLSTATE classes 22, 23). */
        BAD_DATA,
        /** A serialization failure or a deadlock: the transaction was undone and may run again. */
        CONFLICT,
        /** Anything else: a fault in the database or in Tasker. */
        FAILED
    }

    private final Kind kind;

    public DatabaseException(String message, Throwable cause) {
        this(message, cause, kindOf(cause));
    }

    public DatabaseException(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    public DatabaseException(String message) {
        super(message);
        this.kind = Kind.FAILED;
    }

    public Kind kind() {
        return kind;
    }

    /** The kind of {@code error}, from the first SQLSTATE in its causes. */
    public static Kind kindOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException known) {
                return known.kind();
            }
            if (t instanceof SQLTransientConnectionException) {
                return Kind.UNAVAILABLE;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return kindOf(sql.getSQLState());
            }
        }
        return Kind.FAILED;
    }

    static Kind kindOf(String sqlState) {
        return switch (sqlState.length() < 2 ? "" : sqlState.substring(0, 2)) {
            // connection exceptions; insufficient resources; operator intervention (shutdown, crash)
            case "08", "53", "57" -> sqlState.equals("57014") ? Kind.FAILED : Kind.UNAVAILABLE;
            case "22", "23" -> Kind.BAD_DATA;
            case "40" -> sqlState.equals("40001") || sqlState.equals("40P01") ? Kind.CONFLICT : Kind.FAILED;
            default -> Kind.FAILED;
        };
    }
}
