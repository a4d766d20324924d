package io.tasker.core.template;

import io.tasker.core.TaskerException;

/**
 * A different template is already registered under the same namespace, name and version.
 * Registered versions are immutable because tasks already created from them must keep meaning
 * what they meant.
 */
public class TemplateConflictException extends TaskerException {
    private final String key;

    public TemplateConflictException(String key) {
        this(key, key + " is already registered with different content; bump the version to register a change");
    }

    public TemplateConflictException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The conflicting template's {@code namespace/name@version}. */
    public String key() {
        return key;
    }
}
