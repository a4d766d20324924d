package io.tasker.server.cli;

import io.tasker.core.TaskerException;
import io.tasker.server.node.RubyHandlers;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The {@code --ruby-handlers} option of the commands that run workers. */
final class RubyOptions {
    @Option(names = "--ruby-handlers", paramLabel = "DIR",
            description = "A folder of Ruby step handlers to run on JRuby: every *.rb below it is loaded, "
                    + "and every *.yaml/*.yml template below it registered (only those in its folders named "
                    + "templates or config/tasks when it has any; none when --template-path or TASKER_TEMPLATE_PATH is set); repeatable.")
    List<Path> directories = List.of();

    /**
     * The bundled Ruby examples and the given folders.
     *
     * @throws TaskerException when a given folder does not exist
     */
    RubyHandlers withExamples() {
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                throw new TaskerException("--ruby-handlers " + directory + ": no such folder");
            }
        }
        return new RubyHandlers(true, directories);
    }

    /** Loads the handler code, saying first why the next seconds pass in silence. */
    static RubyHandlers.Loaded load(RubyHandlers handlers, PrintWriter out) {
        out.println("starting JRuby and loading the Ruby handlers");
        out.flush();
        return handlers.load();
    }
}
