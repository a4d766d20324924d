package io.tasker.examples.math;

import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.math.BigInteger;
import java.util.List;

/**
 * Squares one number: the value of the step it depends on, or the task context's
 * {@code even_number} when it is a root step.
 */
public final class SquareStep implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        List<String> parents = context.taskSequenceStep().step().dependsOn();
        BigInteger input = switch (parents.size()) {
            case 0 -> Value.integer(context.taskContext().get("even_number"), "context.even_number");
            case 1 -> Value.ofStep(context.dependencyResult(parents.getFirst()), parents.getFirst());
            default -> throw new PermanentException("step " + context.stepName() + " depends on " + parents.size()
                    + " steps, but SquareStep squares a single value; use MultiplyStep to combine several");
        };
        return StepHandlerResult.success(new Value(input.multiply(input)));
    }
}
