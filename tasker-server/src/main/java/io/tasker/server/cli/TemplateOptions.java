package io.tasker.server.cli;

import io.tasker.server.node.ClasspathTemplates;
import io.tasker.server.node.RubyHandlers;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * The templates a command registers on start: those in every {@code --templates} folder, and for
 * {@code dev} and {@code server} the examples. Every template is read and checked before anything
 * starts, so a typo costs no start-up.
 */
final class TemplateOptions {
    @Option(names = "--templates", paramLabel = "DIR",
            description = "A folder of template files (*.yaml, *.yml) to register on start; repeatable.")
    List<Path> templateDirs = List.of();

    /** The examples with Java handlers, and every {@code --templates} folder's. */
    TemplateSet withExamples() {
        return TemplateSet.of(ClasspathTemplates.load(ClasspathTemplates.EXAMPLES)).plus(given());
    }

    /** Every {@code --templates} folder's templates. */
    TemplateSet given() {
        return TemplateSet.fromPaths(templateDirs);
    }

    /** {@code templates} and those that come with the Ruby handlers; just {@code templates} without them. */
    static TemplateSet plusRuby(TemplateSet templates, RubyHandlers ruby) {
        return ruby == null ? templates : templates.plus(TemplateSet.of(ruby.templates()));
    }
}
