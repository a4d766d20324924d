package io.tasker.worker.handler;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepHandlerRegistryTest {

    public static final class Greeter implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            return StepHandlerResult.success("hello");
        }
    }

    public static final class NeedsArgument implements StepHandler {
        public NeedsArgument(String argument) {}

        @Override
        public StepHandlerResult call(StepContext context) {
            return null;
        }
    }

    public static final class FailsToConstruct implements StepHandler {
        public FailsToConstruct() {
            throw new IllegalStateException("no configuration");
        }

        @Override
        public StepHandlerResult call(StepContext context) {
            return null;
        }
    }

    /** Listed in this module's test META-INF/services. */
    public static final class Provider implements StepHandlerProvider {
        @Override
        public Map<String, Supplier<? extends StepHandler>> handlers() {
            return Map.of("provided.Greeter", Greeter::new, "provided.Quiet", () -> context -> null);
        }
    }

    @Test
    void aClassIsRegisteredUnderItsNameAndEachStepGetsANewInstance() {
        StepHandlerRegistry registry = new StepHandlerRegistry().register(Greeter.class);

        Supplier<? extends StepHandler> factory = registry.resolve(Greeter.class.getName()).orElseThrow();

        assertThat(factory.get()).isInstanceOf(Greeter.class).isNotSameAs(factory.get());
        assertThat(registry.callables()).containsExactly(Greeter.class.getName());
        assertThat(registry.resolve("unknown")).isEmpty();
        assertThat(registry.resolve(null)).isEmpty();
    }

    @Test
    void aHandlerClassMustBeConstructibleAndACallableIsRegisteredOnce() {
        StepHandlerRegistry registry = new StepHandlerRegistry().register(Greeter.class);

        assertThatThrownBy(() -> registry.register(Greeter.class))
                .hasMessage("a handler is already registered for callable '" + Greeter.class.getName() + "'");
        assertThatThrownBy(() -> registry.register(NeedsArgument.class))
                .hasMessageContaining("needs a public no-argument constructor");
        assertThatThrownBy(() -> registry.register(" ", Greeter::new)).hasMessageContaining("must not be blank");
        Supplier<? extends StepHandler> failing = registry.register(FailsToConstruct.class)
                .resolve(FailsToConstruct.class.getName()).orElseThrow();
        assertThatThrownBy(failing::get).isInstanceOf(IllegalStateException.class).hasMessage("no configuration");
    }

    @Test
    void serviceProvidersOnTheClassPathAreLoaded() {
        StepHandlerRegistry registry = new StepHandlerRegistry()
                .loadServiceProviders(StepHandlerRegistryTest.class.getClassLoader());

        assertThat(registry.callables()).containsExactly("provided.Greeter", "provided.Quiet");
    }
}
