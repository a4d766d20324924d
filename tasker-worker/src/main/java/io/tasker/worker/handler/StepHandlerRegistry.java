package io.tasker.worker.handler;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Java handlers a worker runs, by the {@code callable} templates name them with. Each step
 * gets a new handler instance from its factory. Registration is safe while the worker runs; a
 * callable is registered once, so two jars cannot silently fight over one name.
 */
public final class StepHandlerRegistry {
    private final Map<String, Supplier<? extends StepHandler>> factories = new ConcurrentHashMap<>();

    /**
     * Registers a factory for {@code callable}.
     *
     * @throws IllegalArgumentException if the callable is blank or already registered
     */
    public StepHandlerRegistry register(String callable, Supplier<? extends StepHandler> factory) {
        Objects.requireNonNull(factory, "factory");
        if (callable == null || callable.isBlank()) {
            throw new IllegalArgumentException("a handler's callable must not be blank");
        }
        if (factories.putIfAbsent(callable, factory) != null) {
            throw new IllegalArgumentException("a handler is already registered for callable '" + callable + "'");
        }
        return this;
    }

    /**
     * Registers a handler class under its binary name (what a template's {@code callable} says);
     * each step runs on a new instance made with its public no-argument constructor.
     */
    public StepHandlerRegistry register(Class<? extends StepHandler> type) {
        if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
            throw new IllegalArgumentException("handler " + type.getName() + " must be a public, concrete class");
        }
        Constructor<? extends StepHandler> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("handler " + type.getName()
                    + " needs a public no-argument constructor, or register it with a factory");
        }
        return register(type.getName(), () -> newInstance(constructor));
    }

    /**
     * Registers the handlers of every {@link StepHandlerProvider} that {@code classLoader} lists
     * in {@code META-INF/services}.
     */
    public StepHandlerRegistry loadServiceProviders(ClassLoader classLoader) {
        for (StepHandlerProvider provider : ServiceLoader.load(StepHandlerProvider.class, classLoader)) {
            provider.handlers().forEach(this::register);
        }
        return this;
    }

    /** The factory for {@code callable}, if one is registered. */
    public Optional<Supplier<? extends StepHandler>> resolve(String callable) {
        return Optional.ofNullable(callable == null ? null : factories.get(callable));
    }

    /** The registered callables, sorted. */
    public List<String> callables() {
        return factories.keySet().stream().sorted().toList();
    }

    private static StepHandler newInstance(Constructor<? extends StepHandler> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("cannot create handler " + constructor.getDeclaringClass().getName()
                    + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create handler " + constructor.getDeclaringClass().getName()
                    + ": " + e, e);
        }
    }
}
