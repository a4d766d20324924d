package io.tasker.server.cli;

import io.tasker.server.node.ClasspathTemplates;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The templates a serving command registers on start: the examples, and those in every {@code --templates} folder. */
final class TemplateOptions {
    @Option(names = "--templates", paramLabel = "DIR",
            description = "A folder of template files (*.yaml, *.yml) to register besides the examples; repeatable.")
    List<Path> templateDirs = List.of();

    /** Every template, checked before anything starts so a typo costs no start-up. */
    TemplateSet load() {
        return TemplateSet.of(ClasspathTemplates.load(ClasspathTemplates.EXAMPLES)).plus(TemplateSet.fromPaths(templateDirs));
    }
}
