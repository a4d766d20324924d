package io.tasker.bench.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.List;

/**
 * The Java handler of every chaos step: journals its execution, runs for the step's
 * {@link StepDelay}, and returns {@code {"value", "run", "seen"}}: the step's value (see
 * {@link Workflow}), the id of this execution, and the run id of each parent's result it read, so
 * the checks can tell which execution's result was recorded and whether a child read the result
 * that stayed recorded.
 */
final class ChaosStep implements StepHandler {

    @Override
    public StepHandlerResult call(StepContext context) throws InterruptedException {
        Journal journal = Journal.ofThisProcess();
        String run = journal.started(context.stepUuid(), context.attempt());
        String outcome = "error";
        try {
            Thread.sleep(StepDelay.millis(context.stepUuid()));
            ObjectNode result = compute(context, run);
            outcome = "ok";
            return StepHandlerResult.success(result);
        } catch (InterruptedException e) {
            // Told to stop: the step timed out, its claim was lost, or the worker is stopping.
            outcome = "cancelled";
            throw e;
        } finally {
            journal.ended(context.stepUuid(), context.attempt(), run, outcome);
        }
    }

    private static ObjectNode compute(StepContext context, String run) {
        List<String> parents = context.taskSequenceStep().step().dependsOn();
        ObjectNode seen = Json.MAPPER.createObjectNode();
        long in = 0;
        if (parents.isEmpty()) {
            in = number(context.taskContext().get("input"), "context.input");
        }
        for (String parent : parents) {
            JsonNode result = context.dependencyResult(parent);
            if (result == null) {
                throw new PermanentException("step " + context.stepName() + " has no result of its parent " + parent);
            }
            in += number(result.get("value"), parent + ".value");
            seen.put(parent, result.path("run").asText());
        }
        ObjectNode init = context.initialization();
        long value = Workflow.apply(in, number(init.get("mul"), "mul"), number(init.get("add"), "add"));
        ObjectNode result = Json.MAPPER.createObjectNode().put("value", value).put("run", run);
        result.set("seen", seen);
        return result;
    }

    private static long number(JsonNode node, String what) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new PermanentException(what + " must be an integer, got " + node);
        }
        return node.asLong();
    }
}
