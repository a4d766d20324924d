package io.tasker.ruby.internal;

import io.tasker.ruby.RubyBridgeException;

/**
 * A Ruby value that has no exact JSON form. The message names where it sits (for example
 * {@code result.items[2].status}) so a handler author can find it.
 */
public final class NotJsonException extends RubyBridgeException {
    private final String path;
    private final String problem;

    NotJsonException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }
}
