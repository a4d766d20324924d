package io.tasker.server.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Requests from web pages of other origins. A browser sends {@code Origin} with every request a
 * script makes to another origin, and with a form it posts; without this check any page the
 * user visits could create tasks on a Tasker on their machine (a {@code text/plain} POST needs no
 * preflight). Requests from the server's own pages and from no browser at all pass; those from an
 * origin allowed with {@code --allow-origin} get CORS headers, their preflights an answer; any
 * other origin is a 403.
 */
final class CrossOrigin {
    private static final String ALLOWED_METHODS = "GET, HEAD, POST, DELETE";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type";
    private static final String EXPOSED_HEADERS = "Location, WWW-Authenticate";
    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    private final Set<String> allowed;

    CrossOrigin(List<String> allowedOrigins) {
        this.allowed = Set.copyOf(allowedOrigins);
    }

    /**
     * An origin as browsers write it: scheme, host and a port only when it is not the scheme's
     * default, lower-cased; empty for anything that is not an http or https origin.
     */
    static Optional<String> normalize(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean onlyOrigin = uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !onlyOrigin) {
            return Optional.empty();
        }
        int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port));
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** Lets the request on, answers it (a preflight), or refuses it with a 403. */
    void check(Context ctx) {
        String sent = ctx.header("Origin");
        if (sent == null) {
            return;
        }
        Optional<String> origin = normalize(sent);
        if (origin.isPresent() && isOwn(origin.get(), ctx.header("Host"))) {
            return;
        }
        if (origin.isEmpty() || !allowed.contains(origin.get())) {
            throw ApiError.of(403, "cross-origin request refused: this API answers its own web pages and clients "
                    + "that are not browsers, and Origin " + sent + " is neither; to let pages of that origin call "
                    + "it, start the server with --allow-origin " + origin.orElse("ORIGIN"));
        }
        ctx.header("Access-Control-Allow-Origin", sent).header("Vary", "Origin");
        if (ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS)
                    .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                    .header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS)
                    .status(204);
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }

    /** Whether the page that sent the request came from this server, as the browser reached it. */
    private static boolean isOwn(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        URI uri = URI.create(origin);
        return HostCheck.parse(hostHeader).map(host -> {
            int port = host.port() < 0 ? defaultPort(uri.getScheme()) : host.port();
            int originPort = uri.getPort() < 0 ? defaultPort(uri.getScheme()) : uri.getPort();
            return HostCheck.unbracketed(uri.getHost()).equals(host.host()) && port == originPort;
        }).orElse(false);
    }
}
