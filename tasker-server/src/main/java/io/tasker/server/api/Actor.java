package io.tasker.server.api;

import io.javalin.http.Context;

/**
 * Who makes a request, as operator actions record it: the name of the caller's API token, or
 * {@code anonymous} on an open API. The access check sets it before any route runs.
 */
final class Actor {
    static final String ANONYMOUS = "anonymous";
    private static final String ATTRIBUTE = "tasker.actor";

    private Actor() {}

    static void set(Context ctx, String name) {
        ctx.attribute(ATTRIBUTE, name);
    }

    static String of(Context ctx) {
        String name = ctx.attribute(ATTRIBUTE);
        return name == null ? ANONYMOUS : name;
    }
}
