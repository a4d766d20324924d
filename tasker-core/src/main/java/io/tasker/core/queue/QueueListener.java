package io.tasker.core.queue;

import io.tasker.core.db.DatabaseException;
import io.tasker.core.db.DatabaseUrl;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Wakes a worker when steps of its namespaces become claimable. It holds one dedicated connection
 * outside the pool (a LISTEN lasts as long as its session) and reads notifications on a daemon
 * thread.
 *
 * <p>A notification means "there may be work", nothing more, so the callback is called at most
 * once per namespace per batch of notifications, and once for every namespace after a reconnect,
 * because notifications sent while the connection was down are lost. Polling remains the safety
 * net. The callback runs on the listener thread and should only hand the signal on.
 */
public final class QueueListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueListener.class);
    static final String APPLICATION_NAME = "tasker-queue-listener";
    /** How long one read waits; bounds how long {@link #close()} takes. */
    private static final int POLL_MILLIS = 250;
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DatabaseUrl url;
    private final Map<String, String> namespaceByChannel = new LinkedHashMap<>();
    private final Consumer<String> onReady;
    private final Thread thread;
    private volatile boolean closed;
    /** Owned by the listener thread once it runs; null while disconnected. */
    private Connection connection;

    private QueueListener(DatabaseUrl url, Collection<String> namespaces, Consumer<String> onReady) {
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("a queue listener needs at least one namespace");
        }
        this.url = url;
        this.onReady = onReady;
        for (String namespace : namespaces) {
            namespaceByChannel.put(StepQueue.channel(namespace), namespace);
        }
        this.thread = Thread.ofPlatform().daemon().name(APPLICATION_NAME).unstarted(this::run);
    }

    /**
     * Starts listening; when this returns, every notification sent from then on is delivered.
     *
     * @throws DatabaseException if the first connection cannot be made
     */
    public static QueueListener start(DatabaseUrl url, Collection<String> namespaces, Consumer<String> onReady) {
        QueueListener listener = new QueueListener(url, namespaces, onReady);
        try {
            listener.connection = listener.connect();
        } catch (SQLException e) {
            throw new DatabaseException("cannot LISTEN for ready steps on " + url + ": " + e.getMessage(), e);
        }
        listener.thread.start();
        return listener;
    }

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        while (!closed) {
            try {
                if (connection == null) {
                    connection = connect();
                    backoff = MIN_BACKOFF_MILLIS;
                    log.info("queue listener reconnected");
                    namespaceByChannel.values().forEach(this::deliver);
                }
                PGNotification[] batch = connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (batch != null) {
                    Set<String> ready = new LinkedHashSet<>();
                    for (PGNotification notification : batch) {
                        String namespace = namespaceByChannel.get(notification.getName());
                        if (namespace != null) {
                            ready.add(namespace);
                        }
                    }
                    ready.forEach(this::deliver);
                }
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                log.warn("queue listener lost its connection ({}); reconnecting in {} ms", e.getMessage(), backoff);
                closeQuietly();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
        closeQuietly();
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (url.user() != null) {
            properties.setProperty("user", url.user());
        }
        if (url.password() != null) {
            properties.setProperty("password", url.password());
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        // A silently dropped network would otherwise leave the read waiting forever.
        properties.setProperty("tcpKeepAlive", "true");
        Connection fresh = DriverManager.getConnection(url.jdbcUrl(), properties);
        try (Statement statement = fresh.createStatement()) {
            PGConnection pg = fresh.unwrap(PGConnection.class);
            for (String channel : namespaceByChannel.keySet()) {
                statement.execute("listen " + pg.escapeIdentifier(channel));
            }
            return fresh;
        } catch (SQLException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private void deliver(String namespace) {
        try {
            onReady.accept(namespace);
        } catch (RuntimeException e) {
            log.error("queue listener callback failed for namespace {}", namespace, e);
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the queue listener connection failed", e);
            }
            connection = null;
        }
    }

    /** Stops listening and closes the connection; waits for the listener thread to end. */
    @Override
    public void close() {
        closed = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
