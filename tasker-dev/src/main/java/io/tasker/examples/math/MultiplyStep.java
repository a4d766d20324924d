package io.tasker.examples.math;

import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.math.BigInteger;
import java.util.List;

/**
 * Multiplies the values of the steps it depends on (its direct parents as the template names
 * them, not every ancestor), joining the branches of a DAG into one number.
 */
public final class MultiplyStep implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) {
        List<String> parents = context.taskSequenceStep().step().dependsOn();
        if (parents.isEmpty()) {
            throw new PermanentException("step " + context.stepName()
                    + " depends on no steps, so MultiplyStep has nothing to multiply; give it depends_on");
        }
        BigInteger product = BigInteger.ONE;
        for (String parent : parents) {
            product = product.multiply(Value.ofStep(context.dependencyResult(parent), parent));
        }
        return StepHandlerResult.success(new Value(product));
    }
}
