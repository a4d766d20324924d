package io.tasker.ruby.internal;

import io.tasker.ruby.RubyBridgeException;

/** A completion hash whose envelope (ids, success flag, error fields) is missing or malformed. */
public final class InvalidCompletionException extends RubyBridgeException {
    InvalidCompletionException(String message) {
        super(message);
    }
}
