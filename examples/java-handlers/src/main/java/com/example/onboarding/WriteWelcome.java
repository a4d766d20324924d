package com.example.onboarding;

import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

/**
 * Writes the welcome message: the template's greeting (the step's {@code initialization}) and the
 * address {@code validate_email} checked. A real one would send it, and throw
 * {@code RetryableException} when the mail server is down, so the step runs again after a backoff.
 */
public final class WriteWelcome implements StepHandler {

    /** The step's result; Tasker stores it as JSON: {@code {"to": ..., "message": ...}}. */
    public record Welcome(String to, String message) {}

    @Override
    public StepHandlerResult call(StepContext context) {
        String email = context.dependencyResult("validate_email").get("email").asText();
        String greeting = context.initialization().path("greeting").asText("Welcome");
        return StepHandlerResult.success(new Welcome(email, greeting + ", " + email + "!"));
    }
}
