package io.tasker.server.dev;

import io.tasker.core.template.RegistrationResult;
import io.tasker.core.template.TaskTemplate;

/** A template {@link DevMode} registered at start, where it came from, and whether it was new. */
public record TemplateRegistration(TaskTemplate template, String source, RegistrationResult result) {
}
