package io.tasker.server.cli;

import io.tasker.core.config.Setting;
import io.tasker.server.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tasker template validate}: checks template files without a database. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check task template files and report every problem found.",
                "Folders are searched for *.yaml and *.yml files; each template gets the environments: overrides "
                        + "of --environment (TASKER_ENV, default development). What a template says that Tasker accepts but does "
                        + "not do is printed as a warning. Exit status 0 when all are valid, else 1."})
final class TemplateValidateCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Template files or folders of them.")
    List<Path> paths;

    @Override
    public List<Setting<?>> settings() {
        return List.of(Settings.ENVIRONMENT);
    }

    @Override
    public Integer call() {
        TemplateSet templates = TemplateSet.fromPaths(paths, TaskerCommand.configuration(spec).get(Settings.ENVIRONMENT));
        PrintWriter out = spec.commandLine().getOut();
        templates.loaded().forEach(loaded ->
                out.println("ok: " + loaded.source() + " (" + TemplateSet.describe(loaded.template()) + ")"));
        out.flush();
        templates.printWarnings(spec.commandLine().getErr());
        if (!templates.valid()) {
            templates.printProblems(spec.commandLine().getErr());
            return ErrorReporter.EXIT_ERROR;
        }
        return 0;
    }
}
