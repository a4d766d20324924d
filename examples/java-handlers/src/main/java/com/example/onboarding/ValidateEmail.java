package com.example.onboarding;

import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Locale;
import java.util.Map;

/**
 * Checks the new customer's email address and hands the next steps its normal form. An address
 * that cannot be right fails the task at once: retrying would not fix it.
 */
public final class ValidateEmail implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        String email = context.taskContext().path("email").asText("").strip();
        int at = email.indexOf('@');
        if (at < 1 || at != email.lastIndexOf('@') || email.indexOf('.', at) < 0) {
            throw new PermanentException("'" + email + "' is not an email address");
        }
        return StepHandlerResult.success(Map.of("email", email.toLowerCase(Locale.ROOT)));
    }
}
