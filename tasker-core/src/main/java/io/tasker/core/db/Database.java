package io.tasker.core.db;

import com.zaxxer.hikari.HikariConfig;
import io.tasker.core.internal.Jdbc;
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
            throw new DatabaseException("cannot connect to " + url + ": " + DatabaseUrl.redact(rootMessage(e)), e);
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

    /**
     * Refuses a database nobody migrated, saying what to run, instead of failing later on a missing
     * table.
     *
     * @throws DatabaseException when the schema is not there
     */
    public void requireSchema() {
        record Tables(boolean first, boolean newest) {}
        // The schema's first table, and the newest one this version needs (workers list themselves in it).
        Tables tables = Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select to_regclass('tasker_templates') is not null, to_regclass('tasker_workers') is not null",
                row -> new Tables(row.getBoolean(1), row.getBoolean(2)))).orElseThrow();
        if (!tables.first()) {
            throw new DatabaseException("the database has no Tasker schema yet: run 'tasker db migrate' on it, "
                    + "or start 'tasker server' on it first");
        }
        if (!tables.newest()) {
            throw new DatabaseException("the database's Tasker schema is older than this Tasker: run "
                    + "'tasker db migrate' on it, or start a 'tasker server' of this version on it first");
        }
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

    /** The message of the innermost cause: what went wrong, without the layers that passed it on. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
