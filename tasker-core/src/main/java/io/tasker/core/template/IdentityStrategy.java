package io.tasker.core.template;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a task's identity is derived, which decides when creating the same task twice is refused. */
public enum IdentityStrategy {
    /** Identity from template and context: the same request twice is one task. */
    STRICT,
    /** Identity from a key the caller supplies. */
    CALLER_KEY,
    /** Every request is a new task. */
    ALWAYS_UNIQUE;

    /** The spelling used in template files and JSON, e.g. {@code caller_key}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy spelled {@code value} in a template file. */
    public static IdentityStrategy of(String value) {
        for (IdentityStrategy strategy : values()) {
            if (strategy.value().equals(value)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("identity_strategy '" + value + "' is not one of "
                + Arrays.stream(values()).map(IdentityStrategy::value).collect(Collectors.joining(", ")));
    }
}
