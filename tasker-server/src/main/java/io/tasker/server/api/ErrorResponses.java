package io.tasker.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tasker.core.db.DatabaseException;
import io.tasker.orchestration.InvalidContextException;
import io.tasker.orchestration.InvalidTaskRequestException;
import io.tasker.orchestration.UnknownTemplateException;
import io.tasker.server.api.ApiError.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HexFormat;
import java.util.UUID;

/**
 * Turns every exception a request can end in into a JSON error body. Clients get a message that
 * says what to fix and never a stack trace; what the server did not expect is logged in full and
 * answered with a generic 500.
 */
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    static void register(Javalin app) {
        // Javalin decodes path parameters itself and throws on an escape it cannot decode, which
        // Jetty lets through when a '?' follows the '%' (/v1/tasks/%?c=1 has the path "/v1/tasks/%?c=1").
        app.before(ctx -> {
            if (!wellEscaped(ctx.req().getRequestURI())) {
                throw ApiError.badRequest("the path has a '%' that does not start an escape such as %2F; "
                        + "write a % itself as %25");
            }
        });
        app.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
        app.exception(UnknownTemplateException.class, (e, ctx) -> send(ctx, ApiError.notFound(e.getMessage()
                + "; GET /v1/templates lists the registered templates")));
        app.exception(InvalidContextException.class, (e, ctx) -> send(ctx, ApiError.badRequest(e.getMessage(),
                e.errors().stream().map(error -> new FieldProblem(error.field(), error.message())).toList())));
        app.exception(InvalidTaskRequestException.class, (e, ctx) -> send(ctx, ApiError.badRequest(e.getMessage())));
        // Javalin's own: no route for the path (404), or none for the method (405).
        app.exception(HttpResponseException.class, (e, ctx) -> send(ctx, ApiError.of(e.getStatus(), switch (e.getStatus()) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path() + "; the endpoints are " + ApiServer.ENDPOINTS;
            case 405 -> ctx.method() + " is not allowed on " + ctx.path() + "; the endpoints are " + ApiServer.ENDPOINTS;
            default -> e.getMessage() + ": " + ctx.method() + " " + ctx.path();
        })));
        // By SQLSTATE: a value the database refused is the client's to fix; a database that cannot
        // be reached is a 503 to retry; anything else is ours, logged under an id the client sees.
        app.exception(DatabaseException.class, (e, ctx) -> {
            switch (e.kind()) {
                case BAD_DATA -> {
                    log.info("{} {} refused by the database: {}", ctx.method(), ctx.path(), e.getMessage());
                    send(ctx, ApiError.badRequest("the database cannot store a value of this request: "
                            + firstLine(e.getMessage())));
                }
                case UNAVAILABLE -> {
                    log.warn("{} {}: the database is not available: {}", ctx.method(), ctx.path(), e.getMessage());
                    send(ctx, ApiError.of(503, "the database is not available; try again shortly"));
                }
                case CONFLICT, FAILED -> internalError(ctx, e);
            }
        });
        app.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
    }

    /** Whether every '%' in {@code path} starts a two-hex-digit escape. */
    private static boolean wellEscaped(String path) {
        for (int at = path.indexOf('%'); at >= 0; at = path.indexOf('%', at + 1)) {
            if (at + 2 >= path.length() || !HexFormat.isHexDigit(path.charAt(at + 1))
                    || !HexFormat.isHexDigit(path.charAt(at + 2))) {
                return false;
            }
        }
        return true;
    }

    private static void internalError(Context ctx, Exception e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} {} failed (error id {})", ctx.method(), ctx.path(), id, e);
        send(ctx, ApiError.of(500, "internal error " + id + ": the server could not handle this request; "
                + "its log has the details under that id"));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).replaceFirst("^ERROR: ", "");
    }

    private static void send(Context ctx, ApiError error) {
        ctx.status(error.status()).json(error.body());
    }
}
