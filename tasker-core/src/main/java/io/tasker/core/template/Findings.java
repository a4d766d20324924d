package io.tasker.core.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What reading one template found: problems, which keep it out, and warnings, which do not. Each
 * is placed by the JSON pointer of its value, turned into a line of the file. A warning is about
 * a kind of key, so a file that sets the same unused key in every step is told once.
 */
final class Findings {
    private final String source;
    private final Map<String, Integer> lines;
    private final List<TemplateProblem> problems;
    private final Map<String, Warning> warnings = new LinkedHashMap<>();

    private record Warning(String pointer, String step, String message, int more) {}

    Findings(String source, Map<String, Integer> lines, List<TemplateProblem> earlier) {
        this.source = source;
        this.lines = lines;
        this.problems = new ArrayList<>(earlier);
    }

    String source() {
        return source;
    }

    void problem(String pointer, String step, String message) {
        problems.add(new TemplateProblem(source, lineOf(pointer), step, message));
    }

    /** Adds a problem the records found, placing it as the reader could not. */
    void problem(TemplateProblem unplaced) {
        problems.add(new TemplateProblem(source, unplaced.line(), unplaced.step(), unplaced.message()));
    }

    /** The first warning of a {@code kind} is kept as given; later ones only add to its count. */
    void warn(String kind, String pointer, String step, String message) {
        warnings.merge(kind, new Warning(pointer, step, message, 0),
                (first, again) -> new Warning(first.pointer, first.step, first.message, first.more + 1));
    }

    int problemCount() {
        return problems.size();
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** The problems in line order, those without a line last. */
    List<TemplateProblem> problems() {
        return inLineOrder(problems);
    }

    List<TemplateProblem> warnings() {
        List<TemplateProblem> found = new ArrayList<>();
        for (Warning warning : warnings.values()) {
            String more = warning.more == 0 ? ""
                    : " (and " + warning.more + (warning.more == 1 ? " more time" : " more times") + " in this file)";
            found.add(new TemplateProblem(source, lineOf(warning.pointer), warning.step, warning.message + more));
        }
        return inLineOrder(found);
    }

    /** The line of the value at {@code pointer}, or of its nearest enclosing value when it is absent. */
    Integer lineOf(String pointer) {
        for (String p = pointer; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null || p.isEmpty()) {
                return line;
            }
        }
    }

    /** {@code line N} when the file has lines, else {@code what}: where a message can point. */
    String where(String pointer, String what) {
        Integer line = lines.get(pointer);
        return line != null ? "line " + line : what;
    }

    private static List<TemplateProblem> inLineOrder(List<TemplateProblem> found) {
        List<TemplateProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(TemplateProblem::line, Comparator.nullsLast(Comparator.naturalOrder())));
        return sorted;
    }
}
