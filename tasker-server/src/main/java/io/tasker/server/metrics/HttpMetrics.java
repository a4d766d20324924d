package io.tasker.server.metrics;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests to the API: a latency histogram by method, route and status, and the tasks the API
 * created. A task is created exactly when {@code POST /v1/tasks} answers 201, so that count is
 * taken here, from the finished response, rather than inside the endpoint.
 */
final class HttpMetrics {
    /** Bucket bounds around the API's targets: a task created in 3 ms, a 4-step task run through it in 10 ms. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(3), Duration.ofMillis(10), Duration.ofMillis(30),
            Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(10)};

    /**
     * The route of a request no endpoint matched. Its path is not used as a label: every path a
     * scanner tries would otherwise become a series of its own.
     */
    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;
    private final LongAdder tasksCreated = new LongAdder();

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Context ctx, Float millis) {
        String route = route(ctx);
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests to the API, by method, route and status")
                .tags("method", ctx.method().name(), "route", route, "status", Integer.toString(status))
                .serviceLevelObjectives(BUCKETS)
                .register(registry)
                .record(Math.round(millis.doubleValue() * 1_000_000), TimeUnit.NANOSECONDS);
        if (status == 201 && ctx.method() == HandlerType.POST && route.equals("/v1/tasks")) {
            tasksCreated.increment();
        }
    }

    long tasksCreated() {
        return tasksCreated.sum();
    }

    /** The path pattern of the endpoint that answered; Javalin reports a request none matched as still "before". */
    private static String route(Context ctx) {
        return ctx.handlerType() == HandlerType.BEFORE ? UNMATCHED : ctx.endpointHandlerPath();
    }
}
