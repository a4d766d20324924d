package io.tasker.server.api;

import io.javalin.http.Context;
import io.tasker.core.internal.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * {@code GET /health}: 200 when the database answers, else 503, so a load balancer stops sending
 * work to a server that cannot do any.
 */
final class HealthEndpoint {
    private static final Logger log = LoggerFactory.getLogger(HealthEndpoint.class);
    private static final int TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;

    HealthEndpoint(DataSource dataSource) {
        this.dataSource = dataSource;
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
            ctx.json(Json.MAPPER.createObjectNode().put("status", "ok"));
            return;
        }
        log.warn("health check failed: {}", problem);
        ctx.status(503).json(Json.MAPPER.createObjectNode().put("status", "unavailable").put("error", problem));
    }
}
