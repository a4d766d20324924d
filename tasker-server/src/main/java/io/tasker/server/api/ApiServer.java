package io.tasker.server.api;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.router.ParsedEndpoint;
import io.tasker.core.TaskerException;
import io.tasker.core.JsonLimits;
import io.tasker.core.internal.Json;
import io.tasker.server.metrics.TaskerMetrics;
import io.tasker.server.web.WebUi;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * The REST API over HTTP, with the web UI and the metrics beside it. With API tokens configured it
 * is protected ({@link ApiAccess}); without, it is open and binds to loopback only.
 */
public final class ApiServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Where a client that asked for a path that does not exist is pointed. */
    static final String ENDPOINTS = "POST /v1/tasks, GET /v1/tasks, GET /v1/tasks/{uuid}, "
            + "GET /v1/tasks/{uuid}/transitions, POST /v1/tasks/{uuid}/cancel, DELETE /v1/tasks/{uuid}, "
            + "POST /v1/tasks/{uuid}/steps/{step_uuid}/retry|resolve|complete, GET /v1/steps, GET /v1/dlq, "
            + "GET /v1/dlq/stats, GET /v1/dlq/{id}, POST /v1/dlq/{id}/resolve, GET /v1/templates, "
            + "GET /v1/templates/{namespace}/{name}, GET /health, GET /health/live, GET /health/ready, GET /metrics, "
            + "GET /openapi.json (every endpoint, described), GET /docs, GET /ui";

    private final Javalin app;
    private final String host;
    private final ApiSettings settings;
    private final TaskerMetrics metrics;

    private ApiServer(Javalin app, String host, ApiSettings settings, TaskerMetrics metrics) {
        this.app = app;
        this.host = host;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** As {@link #start(String, int, ApiServices, ApiSettings)} with an open API: no tokens, on loopback only. */
    public static ApiServer start(String host, int port, ApiServices services) {
        return start(host, port, services, ApiSettings.OPEN);
    }

    /**
     * Starts serving on {@code host:port} ({@code port} 0 picks a free one).
     *
     * @throws TaskerException when the port is taken, the host is not an address of this machine,
     *                         or the API is open ({@code settings} has no tokens) and the host is not loopback
     */
    public static ApiServer start(String host, int port, ApiServices services, ApiSettings settings) {
        settings.requireSafeBinding(host);
        TaskerMetrics metrics = TaskerMetrics.on(services.dataSource());
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.router.ignoreTrailingSlashes = true;
            config.http.prefer405over404 = true;
            // A context may be as large as any JSON document Tasker stores, plus the request around it.
            config.http.maxRequestSize = JsonLimits.MAX_DOCUMENT_BYTES + 1024L * 1024;
            config.requestLogger.http(metrics::recordRequest);
        });
        OpenApi document = OpenApi.load();
        ApiAccess.register(app, host, settings, document);
        TaskEndpoints tasks = new TaskEndpoints(services.creator(), services.queries(), services.unserved());
        app.post("/v1/tasks", tasks::create);
        app.get("/v1/tasks", tasks::list);
        app.get("/v1/tasks/{uuid}", tasks::get);
        app.get("/v1/tasks/{uuid}/transitions", tasks::transitions);
        OperatorEndpoints operator = new OperatorEndpoints(services.actions(), services.unserved());
        app.post("/v1/tasks/{uuid}/cancel", operator::cancel);
        app.delete("/v1/tasks/{uuid}", operator::cancel);
        app.post("/v1/tasks/{uuid}/steps/{step_uuid}/retry", operator::retry);
        app.post("/v1/tasks/{uuid}/steps/{step_uuid}/resolve", operator::resolve);
        app.post("/v1/tasks/{uuid}/steps/{step_uuid}/complete", operator::complete);
        app.get("/v1/steps", new StepEndpoints(services.queries())::list);
        DeadLetterEndpoints deadLetters = new DeadLetterEndpoints(services.deadLetters());
        app.get("/v1/dlq", deadLetters::list);
        app.get("/v1/dlq/stats", deadLetters::stats);
        app.get("/v1/dlq/{id}", deadLetters::get);
        app.post("/v1/dlq/{id}/resolve", deadLetters::resolve);
        TemplateEndpoint templates = new TemplateEndpoint(services.templates());
        app.get("/v1/templates", templates::list);
        app.get("/v1/templates/{namespace}/{name}", templates::get);
        HealthEndpoint health = new HealthEndpoint(services.dataSource());
        app.get("/health", health::check);
        app.get("/health/ready", health::check);
        app.get("/health/live", HealthEndpoint::live);
        app.get(OpenApi.PATH, document::serve);
        ApiDocs.register(app);
        app.get("/metrics", metrics::scrape);
        WebUi.register(app);
        ErrorResponses.register(app);
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            app.stop();
            metrics.close();
            throw new TaskerException(bindFailure(e, host, port), e);
        }
        return new ApiServer(app, host, settings, metrics);
    }

    /**
     * Fails as {@link #start} would on a port that is taken, without starting anything: a command
     * checks first, so a busy port is reported at once, not after PostgreSQL and JRuby have
     * started. Port 0 (any free one) always passes.
     */
    public static void requirePortFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new TaskerException(bindFailure(e, host, port), e);
        }
    }

    private static String bindFailure(Exception e, String host, int port) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                boolean busy = String.valueOf(cause.getMessage()).contains("in use");
                return "cannot serve the REST API on " + host + ":" + port + ": " + cause.getMessage()
                        + (busy ? " (is another Tasker running? choose another port with --port)"
                                : " (is " + host + " an address of this machine? choose another with --host)");
            }
        }
        return "cannot start the REST API on " + host + ":" + port + ": " + e.getMessage();
    }

    public int port() {
        return app.port();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port();
    }

    /** The routes served, {@code GET /v1/tasks} and so on, as the router has them. */
    List<String> routes() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(ParsedEndpoint::getEndpoint)
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .map(endpoint -> endpoint.getMethod() + " " + endpoint.getPath())
                .toList();
    }

    /** Who may use the API, as the start banner says it: open or protected, and from where. */
    public String access() {
        return settings.describe(host);
    }

    /** Stops accepting connections and lets requests in flight finish. */
    @Override
    public void close() {
        app.stop();
        metrics.close();
    }
}
