package io.tasker.ruby;

import io.tasker.core.TaskerException;

/** The root of what the Ruby bridge refuses: bad bootstrap options, bad completions, bad values. */
public class RubyBridgeException extends TaskerException {
    public RubyBridgeException(String message) {
        super(message);
    }

    public RubyBridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
