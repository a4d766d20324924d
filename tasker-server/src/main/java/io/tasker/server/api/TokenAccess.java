package io.tasker.server.api;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * Authentication and authorization on a protected API: the route's scope, as the OpenAPI
 * document gives it, against the scope of the bearer token sent. The token's name becomes the
 * request's {@link Actor}. On an open API (no tokens) every request passes as {@code anonymous}.
 */
final class TokenAccess {
    private static final String BEARER = "Bearer";
    private static final String CHALLENGE = BEARER + " realm=\"tasker\"";

    private final ApiTokens tokens;
    private final OpenApi document;

    TokenAccess(ApiTokens tokens, OpenApi document) {
        this.tokens = tokens;
        this.document = document;
    }

    void check(Context ctx) {
        if (tokens.isEmpty()) {
            return;
        }
        String route = ctx.method() + " " + ctx.endpointHandlerPath();
        Optional<Scope> needed = document.requiredScope(ctx.method(), ctx.endpointHandlerPath());
        if (needed.isEmpty()) {
            return;
        }
        String scope = needed.get().label();
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized(ctx, CHALLENGE, route + " needs an API token: send the header "
                    + "Authorization: Bearer TOKEN with a token of scope " + scope + " or more (an operator creates "
                    + "one with tasker token create NAME --scope " + scope + ")");
        }
        String[] parts = header.strip().split("\\s+", 2);
        if (!parts[0].equalsIgnoreCase(BEARER) || parts.length < 2) {
            throw unauthorized(ctx, CHALLENGE + ", error=\"invalid_request\"", "the Authorization header must be "
                    + "Bearer TOKEN, with an API token of scope " + scope + " or more");
        }
        ApiToken token = tokens.find(parts[1].strip()).orElseThrow(() -> unauthorized(ctx,
                CHALLENGE + ", error=\"invalid_token\"", "the API token sent is not one this server accepts: "
                        + "check that it was copied whole, or ask an operator for a new one"));
        if (!token.scope().includes(needed.get())) {
            ctx.header("WWW-Authenticate", CHALLENGE + ", error=\"insufficient_scope\", scope=\"" + scope + "\"");
            ApiError refused = ApiError.of(403, route + " needs a token of scope " + scope + " or more; the token "
                    + token.name() + " has scope " + token.scope().label());
            refused.body().put("required_scope", scope).put("token_scope", token.scope().label());
            throw refused;
        }
        Actor.set(ctx, token.name());
    }

    private static ApiError unauthorized(Context ctx, String challenge, String message) {
        ctx.header("WWW-Authenticate", challenge);
        return ApiError.of(401, message);
    }
}
