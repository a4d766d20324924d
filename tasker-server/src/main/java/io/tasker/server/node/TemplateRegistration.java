package io.tasker.server.node;

import io.tasker.core.template.RegistrationResult;
import io.tasker.core.template.TaskTemplate;

/** A template a Tasker process registered at start, where it came from, and whether it was new. */
public record TemplateRegistration(TaskTemplate template, String source, RegistrationResult result) {
}
