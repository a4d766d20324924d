package io.tasker.core.template;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The field rules of a template, in one place: the loader reports them with file and line, the
 * records' constructors enforce them for templates built in code. Each check returns the problem
 * in the words of the YAML file, or null when the value is fine.
 */
final class Rules {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    /** A Java or Ruby method name; Ruby's may end in ? or !. */
    private static final Pattern METHOD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}[?!]?");

    private Rules() {}

    static String identifier(String field, String value) {
        if (value == null) {
            return field + " is required";
        }
        return IDENTIFIER.matcher(value).matches() ? null : field + " '" + value
                + "' is not a safe identifier: use lowercase letters, digits and _, start with a letter, at most 48 characters";
    }

    static String stepName(String value) {
        if (value == null) {
            return "step name is required";
        }
        return STEP_NAME.matcher(value).matches() ? null : "step name '" + value
                + "' is not valid: use letters, digits and _, start with a letter, at most 64 characters";
    }

    static String callable(String value) {
        if (value == null) {
            return "handler.callable is required: name the class that runs this step";
        }
        return value.isBlank() ? "handler.callable must not be blank: name the class that runs this step" : null;
    }

    /** A handler's method is optional: without one, {@code call} runs. */
    static String method(String value) {
        if (value == null || METHOD.matcher(value).matches()) {
            return null;
        }
        return "handler.method '" + value + "' is not a method name: use letters, digits and _, start with a letter "
                + "or _ (a Ruby method may end in ? or !)";
    }

    static String maxAttempts(long value) {
        return value >= 1 ? null : "retry.max_attempts must be at least 1, got " + value;
    }

    static String notNegative(String field, long value) {
        return value >= 0 ? null : field + " must not be negative, got " + value;
    }

    static String backoffOrder(long backoffBaseMs, long maxBackoffMs) {
        return maxBackoffMs >= backoffBaseMs ? null : "retry.max_backoff_ms (" + maxBackoffMs
                + ") must not be less than retry.backoff_base_ms (" + backoffBaseMs + ")";
    }

    static String positive(String field, long value) {
        return value > 0 ? null : field + " must be greater than 0, got " + value;
    }

    static String failureStrategy(String value) {
        return BatchConfig.FAILURE_STRATEGIES.contains(value) ? null : "batch_config.failure_strategy '" + value
                + "' is not one of " + String.join(", ", BatchConfig.FAILURE_STRATEGIES);
    }

    static String timeoutSeconds(long value) {
        return value > 0 ? null : "timeout_seconds must be greater than 0, got " + value;
    }

    static String hasSteps(int count) {
        return count > 0 ? null : "template has no steps: list at least one under 'steps'";
    }

    /** Throws when any of {@code problems} is not null; for the records' constructors. */
    static void require(String... problems) {
        List<TemplateProblem> found = new ArrayList<>();
        Arrays.stream(problems).filter(Objects::nonNull)
                .forEach(message -> found.add(new TemplateProblem(null, null, null, message)));
        if (!found.isEmpty()) {
            throw new TemplateValidationException(found);
        }
    }
}
