package io.tasker.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.tasker.core.internal.Json;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerSystemHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /health/live}: 200 while the process serves requests, whatever the database does,
 * so an orchestrator restarts only a process that hangs. {@code GET /health/ready} (and
 * {@code /health}): 200 when the database answers, else 503, so a load balancer stops sending
 * work to a server that cannot do any. A worker in this process with stuck handler threads (see
 * {@link WorkerSystemHandle#stuckHandlers()}) makes it {@code degraded}, still 200: the process
 * serves, with fewer slots than it should, and an operator should look.
 */
final class HealthEndpoint {
    private static final Logger log = LoggerFactory.getLogger(HealthEndpoint.class);
    private static final int TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    HealthEndpoint(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private static List<String> stuckWorkers() {
        List<String> problems = new ArrayList<>();
        for (WorkerSystemHandle worker : WorkerBootstrap.running()) {
            int stuck = worker.stuckHandlers();
            if (stuck > 0) {
                problems.add("worker " + worker.workerId() + ": " + stuck + " handler thread" + (stuck == 1 ? "" : "s")
                        + " did not stop after " + (stuck == 1 ? "its step was" : "their steps were")
                        + " cancelled (see its log)");
            }
        }
        return problems;
    }

    static void live(Context ctx) {
        ctx.json(Json.MAPPER.createObjectNode().put("status", "ok"));
    }

    void check(Context ctx) {
        String problem;
        try (Connection connection = dataSource.getConnection()) {
            problem = connection.isValid(TIMEOUT_SECONDS) ? null : "the database did not answer within "
                    + TIMEOUT_SECONDS + "s";
        } catch (SQLException | RuntimeException e) {
            problem = "cannot reach the database: " + e.getMessage();
        }
        if (problem == null) {
            List<String> degraded = stuckWorkers();
            ObjectNode body = Json.MAPPER.createObjectNode().put("status", degraded.isEmpty() ? "ok" : "degraded");
            if (!degraded.isEmpty()) {
                degraded.forEach(body.putArray("problems")::add);
            }
            ctx.json(body);
            return;
        }
        log.warn("health check failed: {}", problem);
        ctx.status(503).json(Json.MAPPER.createObjectNode().put("status", "unavailable").put("error", problem));
    }
}
