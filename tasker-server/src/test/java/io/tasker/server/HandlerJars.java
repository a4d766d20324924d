package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jars of Java step handlers as a user's build makes them: handler classes compiled against the
 * handler API, a {@code StepHandlerProvider}, and its {@code META-INF/services} file. Their classes
 * are on no test classpath, so only {@code --handlers} can bring them to a worker.
 */
public final class HandlerJars {
    public static final String SERVICES_FILE = "META-INF/services/io.tasker.worker.handler.StepHandlerProvider";

    /** The greeter jar's namespace, template and callable. */
    public static final String NAMESPACE = "acme_java";
    public static final String TEMPLATE = "greet";
    public static final String GREET = "acme.greeter.Greet";

    public static final String GREET_TEMPLATE = """
            namespace: acme_java
            name: greet
            version: 1.0.0
            steps:
              - name: greet
                handler: {callable: acme.greeter.Greet, initialization: {greeting: Hello}}
              - name: shout
                handler: {callable: acme.greeter.Shout}
                depends_on: [greet]
            """;

    private static final Map<String, String> GREETER = Map.of(
            "acme.greeter.Greet", """
                    package acme.greeter;

                    import io.tasker.worker.handler.StepContext;
                    import io.tasker.worker.handler.StepHandler;
                    import io.tasker.worker.handler.StepHandlerResult;
                    import java.util.Map;

                    public final class Greet implements StepHandler {
                        @Override
                        public StepHandlerResult call(StepContext context) {
                            return StepHandlerResult.success(Map.of("text", context.initialization().get("greeting").asText()
                                    + ", " + context.taskContext().get("name").asText()));
                        }
                    }
                    """,
            "acme.greeter.Shout", """
                    package acme.greeter;

                    import io.tasker.worker.handler.StepContext;
                    import io.tasker.worker.handler.StepHandler;
                    import io.tasker.worker.handler.StepHandlerResult;
                    import java.util.Map;

                    public final class Shout implements StepHandler {
                        @Override
                        public StepHandlerResult call(StepContext context) {
                            return StepHandlerResult.success(Map.of("text",
                                    context.dependencyResult("greet").get("text").asText().toUpperCase() + "!"));
                        }
                    }
                    """,
            "acme.greeter.GreeterHandlers", """
                    package acme.greeter;

                    import io.tasker.worker.handler.StepHandler;
                    import io.tasker.worker.handler.StepHandlerProvider;
                    import java.util.Map;
                    import java.util.function.Supplier;

                    public final class GreeterHandlers implements StepHandlerProvider {
                        @Override
                        public Map<String, Supplier<? extends StepHandler>> handlers() {
                            return Map.of(Greet.class.getName(), Greet::new, Shout.class.getName(), Shout::new);
                        }
                    }
                    """);

    private HandlerJars() {}

    /** A jar with the greeter handlers ({@link #GREET} and {@code acme.greeter.Shout}) and their provider. */
    public static Path greeter(Path dir) {
        return jar(compile(dir.resolve("greeter-classes"), GREETER), dir.resolve("greeter.jar"),
                "acme.greeter.GreeterHandlers");
    }

    /** Writes {@link #GREET_TEMPLATE} into {@code dir}, a folder for {@code --templates}. */
    public static Path greeterTemplates(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("greet.yaml"), GREET_TEMPLATE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that a finished greeter task with context {@code {"name": "Ada"}} greeted and shouted. */
    public static void assertGreeted(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        assertThat(Tasks.step(task, "greet").at("/results/text").asText()).isEqualTo("Hello, Ada");
        assertThat(Tasks.step(task, "shout").at("/results/text").asText()).isEqualTo("HELLO, ADA!");
    }

    /**
     * Compiles Java sources (by class name) against the test classpath, which has the handler API,
     * into {@code classes}, a folder made for it.
     */
    public static Path compile(Path classes, Map<String, String> sources) {
        try {
            Path sourceDir = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-src"));
            Files.createDirectories(classes);
            List<String> args = new ArrayList<>(List.of("-proc:none", "-classpath",
                    System.getProperty("java.class.path"), "-d", classes.toString()));
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceDir.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int status = compiler.run(null, errors, errors, args.toArray(String[]::new));
            assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a folder of classes as a jar; {@code providers} (class names) go to its services file,
     * none leaves it without one.
     */
    public static Path jar(Path classes, Path jar, String... providers) {
        writeServices(classes, providers);
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(path));
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists {@code providers} in the services file of a folder of classes; none removes the file. */
    public static Path writeServices(Path classes, String... providers) {
        try {
            Path services = classes.resolve(SERVICES_FILE);
            if (providers.length == 0) {
                Files.deleteIfExists(services);
            } else {
                Files.createDirectories(services.getParent());
                Files.writeString(services, String.join("\n", providers) + "\n");
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
