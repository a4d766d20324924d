package io.tasker.core.template;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The handler that runs a step: a Java or Ruby class name, the fixed settings it is built with,
 * and the method it is called with, {@code call} when {@code method} is null (tasker-core's
 * method dispatch). {@code initialization} is copied in and out, so a template stays immutable.
 */
public record HandlerSpec(String callable, ObjectNode initialization, String method) {
    public static final String DEFAULT_METHOD = "call";

    public HandlerSpec {
        Rules.require(Rules.callable(callable), Rules.method(method));
        initialization = initialization == null ? JsonNodeFactory.instance.objectNode() : initialization.deepCopy();
    }

    public HandlerSpec(String callable, ObjectNode initialization) {
        this(callable, initialization, null);
    }

    public HandlerSpec(String callable) {
        this(callable, null, null);
    }

    @Override
    public ObjectNode initialization() {
        return initialization.deepCopy();
    }

    /** The method to call: {@code method}, or {@code call} when none is given. */
    public String effectiveMethod() {
        return method != null ? method : DEFAULT_METHOD;
    }
}
