package io.tasker.core.template;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A template as the registry holds it; tasks refer to it by {@code id}. */
public record RegisteredTemplate(UUID id, TaskTemplate template, Instant createdAt) {
    public RegisteredTemplate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(template, "template");
    }
}
