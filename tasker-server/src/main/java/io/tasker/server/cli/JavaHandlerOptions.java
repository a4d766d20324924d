package io.tasker.server.cli;

import io.tasker.server.node.JavaHandlers;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The {@code --handlers} option of the commands that run workers: jars of Java step handlers. */
final class JavaHandlerOptions {
    @Option(names = "--handlers", paramLabel = "JAR_OR_DIR",
            description = "A jar of Java step handlers, a folder of jars (every *.jar in it) or a folder of classes; "
                    + "its handlers are those its META-INF/services/io.tasker.worker.handler.StepHandlerProvider "
                    + "lists; repeatable.")
    List<Path> locations = List.of();

    /**
     * Loads the handlers on the classpath and those of every {@code --handlers} location, then says
     * which handlers came from where.
     *
     * @throws io.tasker.core.TaskerException naming a location that is missing or holds no handlers
     */
    JavaHandlers.Loaded load(PrintWriter out) {
        JavaHandlers.Loaded loaded = new JavaHandlers(locations).load();
        for (JavaHandlers.Source source : loaded.given()) {
            out.println("Java handlers from " + Path.of(source.location()).toAbsolutePath() + ": "
                    + String.join(", ", source.callables()));
        }
        out.flush();
        return loaded;
    }
}
