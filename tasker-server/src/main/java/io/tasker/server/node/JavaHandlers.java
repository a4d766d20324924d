package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;
import io.tasker.worker.handler.StepHandlerRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The Java step handlers of a node's worker: those on Tasker's classpath (the examples) and those
 * in the jars and class folders given with {@code --handlers}. Each {@link StepHandlerProvider}
 * listed in {@code META-INF/services} registers its handlers.
 *
 * <p>The given jars share one class loader whose parent is Tasker's: a handler sees the handler API
 * and Tasker's libraries as they are (parent first, so a jar that bundles them does not bring a
 * second copy of the API), the jars see each other (a folder may hold a handler jar and its
 * libraries), and Tasker never sees their classes except through the providers.
 *
 * <p>Loading is a step of its own, taken before anything long-lived starts, so a jar that is missing
 * or holds no handlers costs no database start.
 */
public record JavaHandlers(List<Path> locations) {
    /** Where a provider of Tasker's own classpath came from, in {@link Loaded#sources()}. */
    public static final String CLASSPATH = "classpath";

    static final String PROVIDER_FILE = "META-INF/services/" + StepHandlerProvider.class.getName();

    public JavaHandlers {
        locations = List.copyOf(locations);
    }

    /** Only the handlers on Tasker's classpath. */
    public static JavaHandlers classpathOnly() {
        return new JavaHandlers(List.of());
    }

    /**
     * Finds the jars and class folders, loads their providers and registers every handler.
     *
     * @throws TaskerException naming the location at fault: it does not exist, is neither a jar nor
     *     a folder, holds no handlers, a provider cannot be loaded, or two handlers share a callable
     */
    public Loaded load() {
        Map<Path, List<Path>> entries = new LinkedHashMap<>();
        for (Path location : locations) {
            entries.put(location, classpathEntries(location));
        }
        ClassLoader tasker = JavaHandlers.class.getClassLoader();
        URLClassLoader jars = entries.isEmpty() ? null : new URLClassLoader("tasker-handlers",
                entries.values().stream().flatMap(List::stream).map(JavaHandlers::url).toArray(URL[]::new), tasker);
        try {
            Map<String, List<String>> callables = new LinkedHashMap<>();
            callables.put(CLASSPATH, new ArrayList<>());
            entries.keySet().forEach(location -> callables.put(location.toString(), new ArrayList<>()));
            StepHandlerRegistry registry = new StepHandlerRegistry();
            for (ServiceLoader.Provider<StepHandlerProvider> provider : providers(jars != null ? jars : tasker)) {
                String source = sourceOf(provider.type(), jars, entries);
                handlersOf(provider, source).forEach((callable, factory) -> {
                    register(registry, callable, factory, source, callables);
                    callables.get(source).add(callable);
                });
            }
            for (Path location : entries.keySet()) {
                if (callables.get(location.toString()).isEmpty()) {
                    throw new TaskerException("--handlers " + location + ": no step handlers in it; a handler jar lists "
                            + "its StepHandlerProvider classes in " + PROVIDER_FILE + " (see docs/java-handlers.md)");
                }
            }
            List<Source> sources = new ArrayList<>();
            callables.forEach((location, names) -> {
                if (!names.isEmpty()) {
                    sources.add(new Source(location, List.copyOf(new TreeSet<>(names))));
                }
            });
            return new Loaded(registry, sources, jars);
        } catch (RuntimeException e) {
            close(jars);
            throw e;
        }
    }

    /**
     * A jar is itself; a folder with jars in it is those jars, in name order; any other folder is a
     * folder of classes (as {@code target/classes}).
     */
    private static List<Path> classpathEntries(Path location) {
        if (Files.isRegularFile(location)) {
            if (!location.getFileName().toString().endsWith(".jar")) {
                throw new TaskerException("--handlers " + location + ": not a jar file (*.jar) or a folder");
            }
            return List.of(location);
        }
        if (!Files.isDirectory(location)) {
            throw new TaskerException("--handlers " + location + ": no such jar or folder");
        }
        try (Stream<Path> files = Files.list(location)) {
            List<Path> jars = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
            return jars.isEmpty() ? List.of(location) : jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + location, e);
        }
    }

    private static List<ServiceLoader.Provider<StepHandlerProvider>> providers(ClassLoader loader) {
        try {
            return ServiceLoader.load(StepHandlerProvider.class, loader).stream().toList();
        } catch (ServiceConfigurationError e) {
            throw new TaskerException("cannot load the Java handlers: " + e.getMessage()
                    + (e.getCause() == null ? "" : ": " + e.getCause()), e);
        }
    }

    /** The given location a provider class came from, or {@link #CLASSPATH}. */
    private static String sourceOf(Class<?> type, URLClassLoader jars, Map<Path, List<Path>> entries) {
        if (jars == null || type.getClassLoader() != jars) {
            return CLASSPATH;
        }
        CodeSource code = type.getProtectionDomain().getCodeSource();
        Path from = code == null ? null : path(code.getLocation());
        for (Map.Entry<Path, List<Path>> location : entries.entrySet()) {
            if (location.getValue().stream().anyMatch(entry -> entry.toAbsolutePath().normalize().equals(from))) {
                return location.getKey().toString();
            }
        }
        return entries.keySet().iterator().next().toString();
    }

    private static Map<String, Supplier<? extends StepHandler>> handlersOf(
            ServiceLoader.Provider<StepHandlerProvider> provider, String source) {
        try {
            return provider.get().handlers();
        } catch (RuntimeException | ServiceConfigurationError e) {
            Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
            throw new TaskerException(prefix(source) + "handler provider " + provider.type().getName()
                    + " failed: " + cause, e);
        }
    }

    private static void register(StepHandlerRegistry registry, String callable, Supplier<? extends StepHandler> factory,
                                 String source, Map<String, List<String>> callables) {
        try {
            registry.register(callable, factory);
        } catch (IllegalArgumentException | NullPointerException e) {
            String other = callables.entrySet().stream().filter(c -> c.getValue().contains(callable))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            throw new TaskerException(prefix(source) + (other == null ? "handler '" + callable + "': " + e.getMessage()
                    : "handler '" + callable + "' is also registered by "
                    + (other.equals(CLASSPATH) ? "Tasker's classpath" : other) + "; a callable names one handler"), e);
        }
    }

    private static String prefix(String source) {
        return source.equals(CLASSPATH) ? "" : "--handlers " + source + ": ";
    }

    private static URL url(Path entry) {
        try {
            return entry.toAbsolutePath().normalize().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new TaskerException("--handlers " + entry + ": not a usable path: " + e.getMessage(), e);
        }
    }

    private static Path path(URL url) {
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void close(URLClassLoader loader) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                // Only open jar files to let go of; nothing was loaded from them that runs.
            }
        }
    }

    /** Where some handlers came from: {@link #CLASSPATH} or a {@code --handlers} location, as given. */
    public record Source(String location, List<String> callables) {
        public Source {
            callables = List.copyOf(callables);
        }

        public boolean isClasspath() {
            return location.equals(CLASSPATH);
        }
    }

    /**
     * Handlers whose classes are loaded: the registry a worker runs, and where its handlers came
     * from. Closing it lets go of the jars, once no worker runs their handlers any more.
     */
    public static final class Loaded implements AutoCloseable {
        private final StepHandlerRegistry registry;
        private final List<Source> sources;
        private final URLClassLoader jars;

        private Loaded(StepHandlerRegistry registry, List<Source> sources, URLClassLoader jars) {
            this.registry = registry;
            this.sources = List.copyOf(sources);
            this.jars = jars;
        }

        public StepHandlerRegistry registry() {
            return registry;
        }

        /** The classpath's handlers first, then each {@code --handlers} location's, as given. */
        public List<Source> sources() {
            return sources;
        }

        /** The sources given with {@code --handlers}. */
        public List<Source> given() {
            return sources.stream().filter(source -> !source.isClasspath()).toList();
        }

        @Override
        public void close() {
            JavaHandlers.close(jars);
        }
    }
}
