package io.tasker.core.template;

import io.tasker.core.TaskerException;

import java.util.List;
import java.util.stream.Collectors;

/** A template was refused; carries every problem found, not just the first. */
public class TemplateValidationException extends TaskerException {
    private final List<TemplateProblem> problems;

    public TemplateValidationException(List<TemplateProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<TemplateProblem> problems() {
        return problems;
    }

    private static String describe(List<TemplateProblem> problems) {
        if (problems.size() == 1) {
            return problems.getFirst().format();
        }
        return "template has " + problems.size() + " problems:" + problems.stream()
                .map(problem -> "\n  " + problem.format())
                .collect(Collectors.joining());
    }
}
