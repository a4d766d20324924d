package io.tasker.server.metrics;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import javax.sql.DataSource;

/**
 * What {@code GET /metrics} serves, in Prometheus' text format: the JVM (memory, threads, GC), the
 * HTTP API (requests and latency by route and status, tasks created), the connection pool, the
 * workers running in this JVM, and the work in the database (open tasks, steps waiting or running,
 * tasks finished).
 *
 * <p>Each API server has a registry of its own, so stopping one releases everything it bound.
 */
public final class TaskerMetrics implements AutoCloseable {
    /** The Prometheus text format, version 0.0.4, which every scraper reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * Written by hand: the Prometheus client reserves the suffix {@code _created} (OpenMetrics
     * uses it for a counter's start time) and would publish this counter as
     * {@code tasker_tasks_total}, which says something else.
     */
    private static final String TASKS_CREATED = """
            # HELP tasker_tasks_created_total Tasks created through this server's API
            # TYPE tasker_tasks_created_total counter
            tasker_tasks_created_total %d
            """;

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final HttpMetrics http;
    private final WorkerMetrics workers;
    private final WorkloadMetrics workload;

    private TaskerMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc, WorkloadMetrics workload) {
        this.registry = registry;
        this.gc = gc;
        this.http = new HttpMetrics(registry);
        this.workers = new WorkerMetrics(registry);
        this.workload = workload;
    }

    /** Metrics for a server on {@code dataSource}; nothing is read from the database until the first scrape. */
    public static TaskerMetrics on(DataSource dataSource) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new PrometheusRegistry(), Clock.SYSTEM);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ConnectionPoolMetrics(dataSource).bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new TaskerMetrics(registry, gc, new WorkloadMetrics(dataSource, registry, Clock.SYSTEM));
    }

    /** Javalin's request logger: called once for every request, when its response is complete. */
    public void recordRequest(Context ctx, Float millis) {
        http.record(ctx, millis);
    }

    /** {@code GET /metrics}. */
    public void scrape(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(scrape());
    }

    /** The current values, reading the database only when its figures are older than the cache allows. */
    public String scrape() {
        workload.refreshIfStale();
        workers.sync();
        return registry.scrape(CONTENT_TYPE) + TASKS_CREATED.formatted(http.tasksCreated());
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
