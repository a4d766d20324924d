package io.tasker.core.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** A pooled connection to the Tasker database, and the one place that migrates its schema. */
public final class Database implements AutoCloseable {
    private final DatabaseUrl url;
    private final HikariDataSource dataSource;

    private Database(DatabaseUrl url, HikariDataSource dataSource) {
        this.url = url;
        this.dataSource = dataSource;
    }

    public static Database connect(DatabaseUrl url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("tasker");
        // A database that is down is reported in about two seconds, not after a ten-second wait per
        // request (health checks, API calls and workers all ask for connections).
        config.setConnectionTimeout(2_000);
        // Statements are few and hot; let the driver prepare them server-side early.
        config.addDataSourceProperty("prepareThreshold", "1");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "tasker");
        try {
            return new Database(url, new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new DatabaseException("cannot connect to " + url + ": " + rootMessage(e), e);
        }
    }

    /** Applies pending migrations; running it on an up-to-date schema does nothing. */
    public MigrateResult migrate() {
        return migrate(dataSource, "classpath:db/migration");
    }

    /**
     * Migrations are applied out of order: one that arrives with a lower version than the newest
     * applied (a V4 merged after a database already took V5) is applied then, instead of failing
     * validation. Tasker's migrations are written so that none depends on a later-numbered
     * neighbour it could miss; gaps in the numbering are fine either way.
     */
    static MigrateResult migrate(DataSource dataSource, String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .table("tasker_schema_history")
                .baselineOnMigrate(false)
                .outOfOrder(true)
                .load()
                .migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public DatabaseUrl url() {
        return url;
    }

    public int poolSize() {
        return dataSource.getMaximumPoolSize();
    }

    public int idleConnections() {
        var pool = dataSource.getHikariPoolMXBean();
        return pool == null ? 0 : pool.getIdleConnections();
    }

    @Override
    public void close() {
        dataSource.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
