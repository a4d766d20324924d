package io.tasker.core.template;

import java.util.List;
import java.util.Objects;

/** What loading one template file gave: the template, or every problem that keeps it out. */
public sealed interface TemplateLoadResult {
    /** The file or other name the template text came from. */
    String source();

    /** The template, or a {@link TemplateValidationException} listing every problem. */
    TaskTemplate orThrow();

    /**
     * @param warnings what the template says that Tasker accepts but does not do, e.g. a tasker-core
     *                 key it ignores; each in the shape of a problem, with its line and step
     */
    record Loaded(String source, TaskTemplate template, List<TemplateProblem> warnings) implements TemplateLoadResult {
        public Loaded {
            Objects.requireNonNull(template, "template");
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        public Loaded(String source, TaskTemplate template) {
            this(source, template, List.of());
        }

        @Override
        public TaskTemplate orThrow() {
            return template;
        }
    }

    record Rejected(String source, List<TemplateProblem> problems) implements TemplateLoadResult {
        public Rejected {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a rejected template needs at least one problem");
            }
        }

        @Override
        public TaskTemplate orThrow() {
            throw new TemplateValidationException(problems);
        }
    }
}
