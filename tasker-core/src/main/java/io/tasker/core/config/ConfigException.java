package io.tasker.core.config;

import io.tasker.core.TaskerException;

/** A setting has a value Tasker cannot use; the message names the setting and what it accepts. */
public class ConfigException extends TaskerException {
    public ConfigException(String message) {
        super(message);
    }
}
