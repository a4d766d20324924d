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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The templates a command was given, every problem found in any of them, so that a user sees all
 * that is wrong at once instead of one problem per run, and the folders they were read from.
 */
record TemplateSet(List<Loaded> loaded, List<TemplateProblem> problems, List<Path> folders) {
    /** How a warning says it came up again in the same file; the same warning in other files reads alike. */
    private static final Pattern IN_THIS_FILE = Pattern.compile(" \\(and \\d+ more times? in this file\\)$");


    TemplateSet {
        loaded = List.copyOf(loaded);
        problems = List.copyOf(problems);
        folders = List.copyOf(folders);
    }

    static TemplateSet of(List<TemplateLoadResult> results) {
        return of(results, List.of());
    }

    static TemplateSet of(List<TemplateLoadResult> results, List<Path> folders) {
        List<Loaded> loaded = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (TemplateLoadResult result : results) {
            switch (result) {
                case Loaded template -> loaded.add(template);
                case Rejected rejected -> problems.addAll(rejected.problems());
            }
        }
        return new TemplateSet(loaded, problems, folders);
    }

    /**
     * Loads files, and the {@code *.yaml}/{@code *.yml} files below folders, for {@code environment}.
     * A folder without any is a problem: whoever named it expected templates there.
     */
    static TemplateSet fromPaths(List<Path> paths, String environment) {
        List<TemplateLoadResult> results = new ArrayList<>();
        for (Path path : paths) {
            List<TemplateLoadResult> found = TemplateLoader.loadAll(List.of(path), environment);
            if (found.isEmpty() && Files.isDirectory(path)) {
                results.add(new Rejected(path.toString(), List.of(new TemplateProblem(path.toString(), null, null,
                        "no template files (*.yaml, *.yml) in this folder"))));
            }
            results.addAll(found);
        }
        return of(results, paths.stream().filter(Files::isDirectory).toList());
    }

    TemplateSet plus(TemplateSet other) {
        List<Loaded> allLoaded = new ArrayList<>(loaded);
        allLoaded.addAll(other.loaded);
        List<TemplateProblem> allProblems = new ArrayList<>(problems);
        allProblems.addAll(other.problems);
        List<Path> allFolders = new ArrayList<>(folders);
        allFolders.addAll(other.folders);
        return new TemplateSet(allLoaded, allProblems, allFolders);
    }

    boolean valid() {
        return problems.isEmpty();
    }

    /** What the loaded templates say that Tasker accepts but does not do, e.g. tasker-core keys it ignores. */
    List<TemplateProblem> warnings() {
        return loaded.stream().flatMap(template -> template.warnings().stream()).toList();
    }

    void printProblems(PrintWriter err) {
        problems.forEach(problem -> err.println(problem.format()));
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the templates");
        err.flush();
    }

    /** {@code warning: FILE:LINE: step 'NAME': MESSAGE}, one a line; nothing when there are none. */
    void printWarnings(PrintWriter err) {
        warnings().forEach(warning -> err.println("warning: " + warning.format()));
        err.flush();
    }

    /**
     * The warnings as a command that starts prints them: a warning several templates get is one
     * line naming the first place and how many templates have it (a folder of tasker-core templates
     * would otherwise print the same few warnings for every file); {@code tasker template validate}
     * lists them all.
     */
    void printWarningSummary(PrintWriter err) {
        Map<String, List<TemplateProblem>> byMessage = new LinkedHashMap<>();
        for (TemplateProblem warning : warnings()) {
            byMessage.computeIfAbsent(IN_THIS_FILE.matcher(warning.message()).replaceFirst(""), k -> new ArrayList<>())
                    .add(warning);
        }
        byMessage.forEach((message, found) -> {
            if (found.size() == 1) {
                err.println("warning: " + found.getFirst().format());
            } else {
                TemplateProblem first = found.getFirst();
                String where = first.source() + (first.line() != null ? ":" + first.line() : "");
                err.println("warning: " + message + " (in " + found.size() + " templates, the first " + where
                        + "; tasker template validate lists every one)");
            }
        });
        err.flush();
    }

    /** {@code namespace/name@version, N steps}: how the commands name a template to the user. */
    static String describe(TaskTemplate template) {
        int steps = template.steps().size();
        return template.key() + ", " + steps + (steps == 1 ? " step" : " steps");
    }
}
