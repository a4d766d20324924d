package io.tasker.core.template;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The handler that runs a step: a Java or Ruby class name, and the fixed settings it is built with.
 * {@code initialization} is copied in and out, so a template stays immutable.
 */
public record HandlerSpec(String callable, ObjectNode initialization) {
    public HandlerSpec {
        Rules.require(Rules.callable(callable));
        initialization = initialization == null ? JsonNodeFactory.instance.objectNode() : initialization.deepCopy();
    }

    public HandlerSpec(String callable) {
        this(callable, null);
    }

    @Override
    public ObjectNode initialization() {
        return initialization.deepCopy();
    }
}
