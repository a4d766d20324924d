package io.tasker.server.api;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;

/**
 * Who may call the API, from where, and how: installed on the app before its routes. For every
 * request, in this order: its {@code Host} must be this server's (403, against DNS rebinding), its
 * {@code Origin} its own or allowed (403; allowed ones get CORS headers and preflights an answer);
 * then, for a route that exists, the token and its scope (401, 403) and the body (415, 408, 400).
 * Every {@code GET} route also answers {@code HEAD}, with the same status and headers.
 */
final class ApiAccess {
    private ApiAccess() {}

    static void register(Javalin app, String host, ApiSettings settings, OpenApi document) {
        HostCheck hosts = HostCheck.of(host, settings.allowedHosts());
        CrossOrigin origins = new CrossOrigin(settings.allowedOrigins());
        TokenAccess tokens = new TokenAccess(settings.tokens(), document);
        RequestBodies bodies = new RequestBodies(settings.bodyTimeout());
        app.before(ctx -> {
            String sent = ctx.header("Host");
            if (!hosts.allows(sent)) {
                throw ApiError.of(403, "Host " + sent + " is not a name of this server, so the request is refused "
                        + "(a defence against DNS rebinding); if clients reach the server by that name, start it "
                        + "with --allow-host " + HostCheck.parse(sent).map(HostCheck.HostAndPort::host).orElse("NAME"));
            }
            origins.check(ctx);
        });
        app.beforeMatched(ctx -> {
            tokens.check(ctx);
            bodies.check(ctx);
        });
        // Javalin answers HEAD on a GET route with an empty 200 without running it, whatever GET would say.
        app.unsafeConfig().events.handlerAdded(route -> {
            if (route.getHttpMethod() == HandlerType.GET) {
                app.head(route.getPath(), route.getHandler());
            }
        });
        // How long a request's reads may wait for the client, and how slowly its body may come.
        app.unsafeConfig().jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(settings.bodyTimeout().toMillis());
            http.setMinRequestDataRate(RequestBodies.MIN_BYTES_PER_SECOND);
        });
    }
}
