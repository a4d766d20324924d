package io.tasker.server.cli;

import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateLoadResult.Loaded;
import io.tasker.core.template.TemplateLoadResult.Rejected;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateProblem;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The templates a command was given, and every problem found in any of them, so that a user
 * sees all that is wrong at once instead of one problem per run.
 */
record TemplateSet(List<Loaded> loaded, List<TemplateProblem> problems) {

    TemplateSet {
        loaded = List.copyOf(loaded);
        problems = List.copyOf(problems);
    }

    static TemplateSet of(List<TemplateLoadResult> results) {
        List<Loaded> loaded = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (TemplateLoadResult result : results) {
            switch (result) {
                case Loaded template -> loaded.add(template);
                case Rejected rejected -> problems.addAll(rejected.problems());
            }
        }
        return new TemplateSet(loaded, problems);
    }

    /**
     * Loads files, and the {@code *.yaml}/{@code *.yml} files below folders. A folder without any
     * is a problem: whoever named it expected templates there.
     */
    static TemplateSet fromPaths(List<Path> paths) {
        List<TemplateLoadResult> results = new ArrayList<>();
        for (Path path : paths) {
            List<TemplateLoadResult> found = TemplateLoader.loadAll(List.of(path));
            if (found.isEmpty() && Files.isDirectory(path)) {
                results.add(new Rejected(path.toString(), List.of(new TemplateProblem(path.toString(), null, null,
                        "no template files (*.yaml, *.yml) in this folder"))));
            }
            results.addAll(found);
        }
        return of(results);
    }

    TemplateSet plus(TemplateSet other) {
        List<Loaded> allLoaded = new ArrayList<>(loaded);
        allLoaded.addAll(other.loaded);
        List<TemplateProblem> allProblems = new ArrayList<>(problems);
        allProblems.addAll(other.problems);
        return new TemplateSet(allLoaded, allProblems);
    }

    boolean valid() {
        return problems.isEmpty();
    }

    void printProblems(PrintWriter err) {
        problems.forEach(problem -> err.println(problem.format()));
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the templates");
        err.flush();
    }

    /** {@code namespace/name@version, N steps}: how the commands name a template to the user. */
    static String describe(TaskTemplate template) {
        int steps = template.steps().size();
        return template.key() + ", " + steps + (steps == 1 ? " step" : " steps");
    }
}
