package io.tasker.core.internal;

import io.tasker.core.db.DatabaseException;
import org.postgresql.util.PGobject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The small JDBC helper the store uses instead of an ORM: run a unit of work in a transaction,
 * bind parameters (UUIDs, instants, JSON, arrays), map rows. SQL stays readable next to the code
 * that runs it.
 */
public final class Jdbc {
    private Jdbc() {}

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** A JSON document bound as {@code jsonb}. */
    public record JsonParam(String json) {}

    /** A list bound as a PostgreSQL array of the given element type ({@code text}, {@code uuid}). */
    public record ArrayParam(String elementType, Object[] elements) {}

    public static JsonParam json(String json) {
        return new JsonParam(json);
    }

    public static ArrayParam textArray(Collection<String> values) {
        return new ArrayParam("text", values.toArray());
    }

    public static ArrayParam uuidArray(Collection<UUID> values) {
        return new ArrayParam("uuid", values.toArray());
    }

    /** Runs {@code work} in one transaction: commit when it returns, roll back when it throws. */
    public static <T> T inTransaction(DataSource dataSource, Work<T> work) {
        return transaction(dataSource, false, work);
    }

    /**
     * Runs read-only {@code work} in one REPEATABLE READ transaction, so several queries see one
     * snapshot (a task and its steps as they were at one moment).
     */
    public static <T> T inSnapshot(DataSource dataSource, Work<T> work) {
        return transaction(dataSource, true, work);
    }

    /**
     * A serialization failure or deadlock undoes the whole transaction, so running it again is safe
     * and usually succeeds; a few tries, then the error goes to the caller.
     */
    private static final int CONFLICT_TRIES = 3;

    private static <T> T retryingConflicts(Supplier<T> attempt) {
        for (int tries = 1; ; tries++) {
            try {
                return attempt.get();
            } catch (DatabaseException e) {
                if (e.kind() != DatabaseException.Kind.CONFLICT || tries == CONFLICT_TRIES) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * tries * tries);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static <T> T transaction(DataSource dataSource, boolean snapshot, Work<T> work) {
        return retryingConflicts(() -> transactionOnce(dataSource, snapshot, work));
    }

    /** A connection from the pool; failing to get one means the database is out of reach. */
    private static Connection connect(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e, DatabaseException.Kind.UNAVAILABLE);
        }
    }

    private static <T> T transactionOnce(DataSource dataSource, boolean snapshot, Work<T> work) {
        try (Connection connection = connect(dataSource)) {
            boolean autoCommit = connection.getAutoCommit();
            // Asking for the isolation level costs a round trip; only snapshots change it.
            int isolation = snapshot ? connection.getTransactionIsolation() : Connection.TRANSACTION_NONE;
            connection.setAutoCommit(false);
            if (snapshot) {
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                connection.setReadOnly(true);
            }
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                if (snapshot) {
                    connection.setReadOnly(false);
                    connection.setTransactionIsolation(isolation);
                }
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} on a pooled connection in auto-commit mode; a statement that lost a
     * deadlock or a serialization conflict runs again (keep such work to one writing statement).
     */
    public static <T> T withConnection(DataSource dataSource, Work<T> work) {
        return retryingConflicts(() -> {
            try (Connection connection = connect(dataSource)) {
                return work.run(connection);
            } catch (SQLException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        });
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params);
             ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        }
    }

    public static <T> Optional<T> queryOne(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        List<T> rows = query(connection, sql, mapper, params);
        if (rows.size() > 1) {
            throw new DatabaseException("expected at most one row, got " + rows.size() + " for: " + sql);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    public static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                bind(connection, statement, i + 1, params[i]);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    public static void bind(Connection connection, PreparedStatement statement, int index, Object value)
            throws SQLException {
        switch (value) {
            case null -> statement.setObject(index, null);
            case JsonParam json -> {
                PGobject object = new PGobject();
                object.setType("jsonb");
                object.setValue(json.json());
                statement.setObject(index, object);
            }
            case ArrayParam array -> statement.setArray(index, connection.createArrayOf(array.elementType(), array.elements()));
            case Instant instant -> statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
            case Enum<?> e -> statement.setString(index, e.toString());
            default -> statement.setObject(index, value);
        }
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp ts = row.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    public static UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }

    public static Integer nullableInt(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
