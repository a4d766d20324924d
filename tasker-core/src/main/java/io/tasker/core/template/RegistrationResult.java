package io.tasker.core.template;

/** What {@link TemplateRegistry#register} did. */
public enum RegistrationResult {
    /** The template was new and is now registered. */
    REGISTERED,
    /** The identical template was already registered; nothing changed. */
    UNCHANGED,
    /** The version was registered with other content, which this one replaced ({@code tasker dev} only). */
    REPLACED
}
