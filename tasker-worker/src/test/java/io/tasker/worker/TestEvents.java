package io.tasker.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tasker.core.Ids;
import io.tasker.core.template.RetryPolicy;

import java.util.List;
import java.util.Map;

/** Step execution events made up in memory, for tests of the event system and handler layers. */
public final class TestEvents {
    private TestEvents() {}

    public static StepExecutionEvent event(String callable) {
        return event(callable, null);
    }

    /** A step whose template names {@code method} as its handler method ({@code handler.method}). */
    public static StepExecutionEvent event(String callable, String method) {
        TaskSequenceStep step = new TaskSequenceStep(Ids.newId(), Ids.newId(), "test", "task", "1.0.0",
                JsonNodeFactory.instance.objectNode().put("order", 42),
                new TaskSequenceStep.StepDefinition("step", callable, JsonNodeFactory.instance.objectNode(),
                        List.of(), RetryPolicy.DEFAULT, 30, method),
                Map.of(), 1, 3);
        return new StepExecutionEvent(Ids.newId(), step.taskUuid(), step.stepUuid(), step);
    }
}
