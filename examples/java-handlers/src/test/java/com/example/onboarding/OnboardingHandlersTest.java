package com.example.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The handlers on their own, each given the context a worker would give it. */
class OnboardingHandlersTest {

    @Test
    void anEmailAddressIsPassedOnInItsNormalForm() throws Exception {
        StepContext context = StepContext.builder("validate_email")
                .taskContext(Map.of("email", " Ada@Example.COM "))
                .build();

        assertEquals("ada@example.com", result(new ValidateEmail().call(context)).get("email").asText());
    }

    @Test
    void somethingElseFailsTheTaskWithoutRetrying() {
        StepContext context = StepContext.builder("validate_email").taskContext(Map.of("email", "ada")).build();

        PermanentException failure = assertThrows(PermanentException.class, () -> new ValidateEmail().call(context));
        assertEquals("'ada' is not an email address", failure.getMessage());
    }

    @Test
    void theWelcomeGreetsTheCheckedAddressWithTheTemplatesGreeting() throws Exception {
        StepContext context = StepContext.builder("write_welcome")
                .initialization(Map.of("greeting", "Welcome aboard"))
                .dependencyResult("validate_email", Map.of("email", "ada@example.com"))
                .build();

        JsonNode welcome = result(new WriteWelcome().call(context));

        assertEquals("ada@example.com", welcome.get("to").asText());
        assertEquals("Welcome aboard, ada@example.com!", welcome.get("message").asText());
    }

    @Test
    void everyHandlerIsRegisteredUnderItsClassName() {
        Map<String, Supplier<? extends StepHandler>> handlers = new OnboardingHandlers().handlers();

        assertEquals(Set.of(ValidateEmail.class.getName(), WriteWelcome.class.getName()), handlers.keySet());
        handlers.forEach((callable, factory) -> assertEquals(callable, factory.get().getClass().getName()));
    }

    private static JsonNode result(StepHandlerResult result) {
        return ((StepHandlerResult.Success) result).result();
    }
}
