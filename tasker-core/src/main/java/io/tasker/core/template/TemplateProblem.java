package io.tasker.core.template;

import java.util.Objects;

/**
 * One thing wrong with a template. {@code source} is the file (or another name for where the text
 * came from), {@code line} is 1-based, {@code step} names the step the problem is in; each may be
 * null when it does not apply.
 */
public record TemplateProblem(String source, Integer line, String step, String message) {
    public TemplateProblem {
        Objects.requireNonNull(message, "message");
    }

    /** E.g. {@code templates/bad.yaml:12: step 'b': depends on unknown step 'zz'}. */
    public String format() {
        StringBuilder text = new StringBuilder();
        if (source != null) {
            text.append(source);
            if (line != null) {
                text.append(':').append(line);
            }
            text.append(": ");
        } else if (line != null) {
            text.append("line ").append(line).append(": ");
        }
        if (step != null) {
            text.append("step '").append(step).append("': ");
        }
        return text.append(message).toString();
    }
}
