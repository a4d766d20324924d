package io.tasker.server.cli;

import io.tasker.core.template.TemplateLoader;
import io.tasker.server.node.ClasspathTemplates;
import io.tasker.server.node.RubyHandlers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The templates a command registers on start: those in every {@code --templates} folder and every
 * {@code TASKER_TEMPLATE_PATH} folder, and for {@code dev} and {@code server} the examples. Every
 * template is read and checked before anything starts, so a typo costs no start-up. Templates get
 * the {@code environments:} overrides of {@code TASKER_ENV} (default {@code development}).
 */
final class TemplateOptions {
    /** Folders of templates separated by {@code :}, as tasker-core's template path. */
    static final String TEMPLATE_PATH = "TASKER_TEMPLATE_PATH";

    @Option(names = "--templates", paramLabel = "DIR",
            description = "A folder of template files (*.yaml, *.yml) to register on start; repeatable "
                    + "(also: TASKER_TEMPLATE_PATH, folders separated by ':').")
    List<Path> templateDirs = List.of();

    /** The examples with Java handlers, and the given templates. */
    TemplateSet withExamples(CommandSpec command) {
        return TemplateSet.of(ClasspathTemplates.load(ClasspathTemplates.EXAMPLES)).plus(given(command));
    }

    /** The templates of every {@code --templates} folder, then of every {@code TASKER_TEMPLATE_PATH} folder. */
    TemplateSet given(CommandSpec command) {
        List<Path> paths = new ArrayList<>(templateDirs);
        paths.addAll(templatePath(environment(command)));
        return TemplateSet.fromPaths(paths, TemplateLoader.environment(environment(command)));
    }

    /**
     * {@code templates} and those that come with the Ruby handlers; just {@code templates} without
     * them. With {@code TASKER_TEMPLATE_PATH} set, the handler folders are not searched for
     * templates, as tasker-core reads templates from its template path only.
     */
    static TemplateSet plusRuby(TemplateSet templates, RubyHandlers ruby, CommandSpec command) {
        if (ruby == null) {
            return templates;
        }
        boolean searchFolders = templatePath(environment(command)).isEmpty();
        return templates.plus(TemplateSet.of(
                ruby.templates(TemplateLoader.environment(environment(command)), searchFolders),
                searchFolders ? ruby.templateFolders() : List.of()));
    }

    /**
     * Tells the user about the templates before anything starts: their warnings, then either every
     * problem, returning false as the command must not start, or which folders they were read from.
     */
    static boolean report(TemplateSet templates, RubyHandlers ruby, CommandSpec command) {
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
        if (ruby != null && !ruby.directories().isEmpty() && !templatePath(environment(command)).isEmpty()) {
            out.println(TEMPLATE_PATH + " is set, so the --ruby-handlers folders are not searched for templates");
        }
        out.flush();
        return true;
    }

    /** The folders {@code TASKER_TEMPLATE_PATH} names, in order; none when it is unset or blank. */
    static List<Path> templatePath(Map<String, String> environment) {
        String path = environment.get(TEMPLATE_PATH);
        if (path == null) {
            return List.of();
        }
        return Arrays.stream(path.split(":")).map(String::strip).filter(part -> !part.isEmpty()).map(Path::of).toList();
    }

    private static Map<String, String> environment(CommandSpec command) {
        return TaskerCommand.root(command).environment();
    }
}
