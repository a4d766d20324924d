package io.tasker.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import javax.sql.DataSource;
import java.util.function.ToIntFunction;

/**
 * The API's connection pool: its size, connections in use and idle, and requests waiting for one.
 * The pool is already running when the server starts, too late for HikariCP's own Micrometer
 * support, so its management bean is read instead. A data source that is not a HikariCP pool has
 * no such gauges.
 */
final class ConnectionPoolMetrics implements MeterBinder {
    private final DataSource dataSource;

    ConnectionPoolMetrics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!(dataSource instanceof HikariDataSource pool)) {
            return;
        }
        Gauge.builder("tasker.db.pool.size", pool, HikariDataSource::getMaximumPoolSize)
                .description("The most connections the pool opens")
                .register(registry);
        gauge(registry, pool, "active", HikariPoolMXBean::getActiveConnections);
        gauge(registry, pool, "idle", HikariPoolMXBean::getIdleConnections);
        Gauge.builder("tasker.db.pool.pending", pool, p -> read(p, HikariPoolMXBean::getThreadsAwaitingConnection))
                .description("Threads waiting for a connection from the pool")
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, HikariDataSource pool, String state,
                              ToIntFunction<HikariPoolMXBean> value) {
        Gauge.builder("tasker.db.pool.connections", pool, p -> read(p, value))
                .description("Connections of the pool, in use (active) or idle")
                .tag("state", state)
                .register(registry);
    }

    private static double read(HikariDataSource pool, ToIntFunction<HikariPoolMXBean> value) {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        return bean == null ? Double.NaN : value.applyAsInt(bean);
    }
}
