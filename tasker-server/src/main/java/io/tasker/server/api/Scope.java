package io.tasker.server.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API token may do. Each scope includes the ones before it: {@code read} reads
 * everything, {@code write} also creates tasks, cancels them and retries steps, {@code admin}
 * also settles by hand what the system could not (resolve or complete a step, resolve a dead
 * letter).
 */
public enum Scope {
    READ, WRITE, ADMIN;

    public boolean includes(Scope other) {
        return compareTo(other) >= 0;
    }

    /** As written in the tokens file and in messages: {@code read}, {@code write}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for anything but a scope's label */
    public static Scope parse(String text) {
        for (Scope scope : values()) {
            if (scope.label().equals(text)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("the scope must be one of " + labels() + ", got '" + text + "'");
    }

    static String labels() {
        return Arrays.stream(values()).map(Scope::label).collect(Collectors.joining(", "));
    }
}
