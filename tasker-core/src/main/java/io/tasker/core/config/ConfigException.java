package io.tasker.core.config;

/** A setting has a value Tasker cannot use; the message names the setting and what it accepts. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
