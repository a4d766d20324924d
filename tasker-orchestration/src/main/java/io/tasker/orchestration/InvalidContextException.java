package io.tasker.orchestration;

import java.util.List;
import java.util.stream.Collectors;

/** The task context does not satisfy the template's input_schema; {@link #errors()} names every failing field. */
public class InvalidContextException extends OrchestrationException {
    private final List<ContextError> errors;

    public InvalidContextException(String templateKey, List<ContextError> errors) {
        super("the context does not match the input_schema of " + templateKey + ": "
                + errors.stream().map(ContextError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<ContextError> errors() {
        return errors;
    }
}
