package io.tasker.orchestration;

/**
 * One reason a task context was refused.
 *
 * @param field the offending value as a JSON path, e.g. {@code $.even_number}; {@code $} for the whole context
 */
public record ContextError(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
