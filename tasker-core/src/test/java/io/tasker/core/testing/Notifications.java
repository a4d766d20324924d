package io.tasker.core.testing;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.StepQueue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A plain LISTEN session that counts queue notifications exactly, without waiting for silence:
 * {@link #drain()} sends a sentinel from another session and reads up to it. Notifications of
 * different transactions arrive in commit order, so everything committed before the sentinel has
 * been read when it arrives.
 */
public final class Notifications implements AutoCloseable {
    private static final String SENTINEL = "tasker_test_sentinel";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final Connection connection;

    public Notifications(DataSource dataSource, Collection<String> namespaces) throws SQLException {
        this.dataSource = dataSource;
        this.connection = dataSource.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("listen " + SENTINEL);
            for (String namespace : namespaces) {
                statement.execute("listen " + connection.unwrap(PGConnection.class)
                        .escapeIdentifier(StepQueue.channel(namespace)));
            }
        }
    }

    /** The payloads (namespaces) of every queue notification committed since the last drain. */
    public List<String> drain() throws SQLException {
        Jdbc.withConnection(dataSource, c -> Jdbc.query(c, "select pg_notify(?, '')", row -> null, SENTINEL));
        List<String> payloads = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            PGNotification[] batch = connection.unwrap(PGConnection.class).getNotifications(100);
            for (PGNotification notification : batch == null ? new PGNotification[0] : batch) {
                if (notification.getName().equals(SENTINEL)) {
                    return payloads;
                }
                if (!notification.getName().equals(StepQueue.channel(notification.getParameter()))) {
                    throw new AssertionError("payload '" + notification.getParameter()
                            + "' arrived on channel " + notification.getName());
                }
                payloads.add(notification.getParameter());
            }
        }
        throw new AssertionError("the sentinel notification did not arrive within " + PATIENCE);
    }

    @Override
    public void close() throws SQLException {
        try (connection; Statement statement = connection.createStatement()) {
            statement.execute("unlisten *");
        }
    }
}
