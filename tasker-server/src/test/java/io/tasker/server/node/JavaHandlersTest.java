package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.server.HandlerJars;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Java handlers found in {@code --handlers} jars and folders, beside those on Tasker's classpath. */
class JavaHandlersTest {
    private static final String LIBRARY = """
            package acme.lib;

            public final class Greeting {
                public static String of(String name) {
                    return "Hi " + name;
                }
            }
            """;

    private static final String LIBRARY_HANDLER = """
            package acme.app;

            import io.tasker.worker.handler.StepContext;
            import io.tasker.worker.handler.StepHandler;
            import io.tasker.worker.handler.StepHandlerProvider;
            import io.tasker.worker.handler.StepHandlerResult;
            import java.util.Map;
            import java.util.function.Supplier;

            public final class AppHandlers implements StepHandlerProvider {
                public static final class Hi implements StepHandler {
                    @Override
                    public StepHandlerResult call(StepContext context) {
                        return StepHandlerResult.success(acme.lib.Greeting.of(context.taskContext().get("name").asText()));
                    }
                }

                @Override
                public Map<String, Supplier<? extends StepHandler>> handlers() {
                    return Map.of("acme.app.Hi", Hi::new);
                }
            }
            """;

    @Test
    void aJarsHandlersRunBesideTheClasspathsAndEachIsSaidToComeFromWhereItDid(@TempDir Path dir) throws Exception {
        Path jar = HandlerJars.greeter(dir);

        try (JavaHandlers.Loaded loaded = new JavaHandlers(List.of(jar)).load()) {
            assertThat(loaded.registry().callables()).contains(HandlerJars.GREET, "acme.greeter.Shout",
                    "io.tasker.examples.math.SquareStep");
            assertThat(loaded.given()).containsExactly(
                    new JavaHandlers.Source(jar.toString(), List.of(HandlerJars.GREET, "acme.greeter.Shout")));
            assertThat(loaded.sources().getFirst().isClasspath()).isTrue();
            assertThat(loaded.sources().getFirst().callables()).contains("io.tasker.examples.math.SquareStep")
                    .doesNotContain(HandlerJars.GREET);

            StepHandler greet = loaded.registry().resolve(HandlerJars.GREET).orElseThrow().get();
            assertThat(greet.getClass().getClassLoader().getParent()).isSameAs(JavaHandlers.class.getClassLoader());
            StepHandlerResult result = greet.call(StepContext.builder("greet")
                    .taskContext(Map.of("name", "Ada")).initialization(Map.of("greeting", "Hello")).build());
            assertThat(((StepHandlerResult.Success) result).result().get("text").asText()).isEqualTo("Hello, Ada");
        }
    }

    @Test
    void aFolderOfJarsIsEveryJarInItAndTheJarsSeeEachOther(@TempDir Path dir) throws Exception {
        Path classes = HandlerJars.compile(dir.resolve("classes"), Map.of("acme.lib.Greeting", LIBRARY,
                "acme.app.AppHandlers", LIBRARY_HANDLER));
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path libraryClasses = Files.createDirectories(dir.resolve("library-classes/acme/lib"));
        Files.move(classes.resolve("acme/lib/Greeting.class"), libraryClasses.resolve("Greeting.class"));
        HandlerJars.jar(dir.resolve("library-classes"), lib.resolve("greeting-lib.jar"));
        HandlerJars.jar(classes, lib.resolve("app-handlers.jar"), "acme.app.AppHandlers");

        try (JavaHandlers.Loaded loaded = new JavaHandlers(List.of(lib)).load()) {
            assertThat(loaded.given()).containsExactly(new JavaHandlers.Source(lib.toString(), List.of("acme.app.Hi")));
            StepHandler hi = loaded.registry().resolve("acme.app.Hi").orElseThrow().get();
            StepHandlerResult result = hi.call(StepContext.builder("hi").taskContext(Map.of("name", "Bo")).build());
            assertThat(((StepHandlerResult.Success) result).result().asText()).isEqualTo("Hi Bo");
        }
    }

    @Test
    void aFolderWithoutJarsIsAFolderOfClasses(@TempDir Path dir) {
        Path classes = HandlerJars.greeter(dir).resolveSibling("greeter-classes");

        try (JavaHandlers.Loaded loaded = new JavaHandlers(List.of(classes)).load()) {
            assertThat(loaded.given()).extracting(JavaHandlers.Source::callables)
                    .containsExactly(List.of(HandlerJars.GREET, "acme.greeter.Shout"));
        }
    }

    @Test
    void withoutLocationsOnlyTheClasspathsHandlersAreLoaded() {
        try (JavaHandlers.Loaded loaded = JavaHandlers.classpathOnly().load()) {
            assertThat(loaded.given()).isEmpty();
            assertThat(loaded.registry().callables()).contains("io.tasker.examples.math.SquareStep")
                    .doesNotContain(HandlerJars.GREET);
        }
    }

    @Test
    void aLocationThatDoesNotExistIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.jar");

        assertThatThrownBy(() -> new JavaHandlers(List.of(missing)).load())
                .isInstanceOf(TaskerException.class)
                .hasMessage("--handlers " + missing + ": no such jar or folder");
    }

    @Test
    void aFileThatIsNotAJarIsRefused(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("handlers.txt"), "not a jar");

        assertThatThrownBy(() -> new JavaHandlers(List.of(text)).load())
                .hasMessage("--handlers " + text + ": not a jar file (*.jar) or a folder");
    }

    @Test
    void aJarWithoutAProviderFileHasNoHandlersAndSaysWhatIsMissing(@TempDir Path dir) {
        Path jar = HandlerJars.greeter(dir);
        Path bare = HandlerJars.jar(dir.resolve("greeter-classes"), dir.resolve("bare.jar"));

        assertThatThrownBy(() -> new JavaHandlers(List.of(jar, bare)).load())
                .isInstanceOf(TaskerException.class)
                .hasMessage("--handlers " + bare + ": no step handlers in it; a handler jar lists its "
                        + "StepHandlerProvider classes in META-INF/services/io.tasker.worker.handler.StepHandlerProvider "
                        + "(see docs/java-handlers.md)");
    }

    @Test
    void anEmptyFolderHasNoHandlers(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThatThrownBy(() -> new JavaHandlers(List.of(empty)).load())
                .hasMessageStartingWith("--handlers " + empty + ": no step handlers in it");
    }

    @Test
    void aProviderThatCannotBeFoundIsReported(@TempDir Path dir) {
        Path classes = HandlerJars.greeter(dir).resolveSibling("greeter-classes");
        Path jar = HandlerJars.jar(classes, dir.resolve("typo.jar"), "acme.greeter.GreeterHandlerz");

        assertThatThrownBy(() -> new JavaHandlers(List.of(jar)).load())
                .isInstanceOf(TaskerException.class)
                .hasMessageContaining("cannot load the Java handlers")
                .hasMessageContaining("acme.greeter.GreeterHandlerz not found");
    }

    @Test
    void twoJarsWithTheSameCallableAreRefusedNamingBoth(@TempDir Path dir) {
        Path first = HandlerJars.greeter(dir);
        Path clash = HandlerJars.jar(HandlerJars.compile(dir.resolve("clash-classes"), Map.of("acme.other.Clash", """
                package acme.other;

                import io.tasker.worker.handler.StepHandler;
                import io.tasker.worker.handler.StepHandlerProvider;
                import io.tasker.worker.handler.StepHandlerResult;
                import java.util.Map;
                import java.util.function.Supplier;

                public final class Clash implements StepHandlerProvider {
                    @Override
                    public Map<String, Supplier<? extends StepHandler>> handlers() {
                        return Map.of("acme.greeter.Greet", () -> context -> StepHandlerResult.success(1));
                    }
                }
                """)), dir.resolve("clash.jar"), "acme.other.Clash");

        assertThatThrownBy(() -> new JavaHandlers(List.of(first, clash)).load())
                .isInstanceOf(TaskerException.class)
                .hasMessage("--handlers " + clash + ": handler 'acme.greeter.Greet' is also registered by " + first
                        + "; a callable names one handler");
    }
}
