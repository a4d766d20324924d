package io.tasker.server.cli;

import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.server.config.Settings;
import io.tasker.server.node.ClasspathTemplates;
import io.tasker.server.node.RubyHandlers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The templates a command registers on start: those in every {@code --templates} folder and every
 * folder of the template path ({@code templates.path}, {@code TASKER_TEMPLATE_PATH}), and for
 * {@code dev} and {@code server} the examples. Every template is read and checked before anything
 * starts, so a typo costs no start-up. Templates get the {@code environments:} overrides of the
 * configured environment ({@code TASKER_ENV}, default {@code development}).
 */
final class TemplateOptions implements TakesSettings {
    @Option(names = "--templates", paramLabel = "DIR",
            description = "A folder of template files (*.yaml, *.yml) to register on start; repeatable "
                    + "(also: the folders of --template-path).")
    List<Path> templateDirs = List.of();

    @Override
    public List<Setting<?>> settings() {
        return List.of(Settings.ENVIRONMENT, Settings.TEMPLATE_PATH);
    }

    /** The examples with Java handlers, and the given templates. */
    TemplateSet withExamples(Configuration config) {
        return TemplateSet.of(ClasspathTemplates.load(ClasspathTemplates.EXAMPLES, config.get(Settings.ENVIRONMENT)))
                .plus(given(config));
    }

    /** The templates of every {@code --templates} folder, then of every template path folder. */
    TemplateSet given(Configuration config) {
        List<Path> paths = new ArrayList<>(templateDirs);
        paths.addAll(templatePath(config));
        return TemplateSet.fromPaths(paths, config.get(Settings.ENVIRONMENT));
    }

    /**
     * {@code templates} and those that come with the Ruby handlers; just {@code templates} without
     * them. With a template path, the handler folders are not searched for templates, as
     * tasker-core reads templates from its template path only.
     */
    static TemplateSet plusRuby(TemplateSet templates, RubyHandlers ruby, Configuration config) {
        if (ruby == null) {
            return templates;
        }
        boolean searchFolders = templatePath(config).isEmpty();
        return templates.plus(TemplateSet.of(ruby.templates(config.get(Settings.ENVIRONMENT), searchFolders),
                searchFolders ? ruby.templateFolders() : List.of()));
    }

    /**
     * Tells the user about the templates before anything starts: their warnings, then either every
     * problem, returning false as the command must not start, or which folders they were read from.
     */
    static boolean report(TemplateSet templates, RubyHandlers ruby, Configuration config, CommandSpec command) {
        PrintWriter err = command.commandLine().getErr();
        templates.printWarningSummary(err);
        if (!templates.valid()) {
            templates.printProblems(err);
            return false;
        }
        PrintWriter out = command.commandLine().getOut();
        if (!templates.folders().isEmpty()) {
            out.println("templates read from " + String.join(", ",
                    templates.folders().stream().map(Path::toAbsolutePath).map(Path::toString).toList()));
        }
        if (ruby != null && !ruby.directories().isEmpty() && !templatePath(config).isEmpty()) {
            out.println("the template path is set (" + config.source(Settings.TEMPLATE_PATH).describe()
                    + "), so the --ruby-handlers folders are not searched for templates");
        }
        out.flush();
        return true;
    }

    private static List<Path> templatePath(Configuration config) {
        return config.find(Settings.TEMPLATE_PATH).orElse(List.of());
    }
}
