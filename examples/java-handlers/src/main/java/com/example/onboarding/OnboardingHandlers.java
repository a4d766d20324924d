package com.example.onboarding;

import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The handlers of this jar, by the callable templates name them with. Listed in
 * {@code META-INF/services/io.tasker.worker.handler.StepHandlerProvider}, which is how
 * {@code tasker dev --handlers} and {@code tasker worker --handlers} find them.
 */
public final class OnboardingHandlers implements StepHandlerProvider {

    @Override
    public Map<String, Supplier<? extends StepHandler>> handlers() {
        return Map.of(
                ValidateEmail.class.getName(), ValidateEmail::new,
                WriteWelcome.class.getName(), WriteWelcome::new);
    }
}
