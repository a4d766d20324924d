package io.tasker.client;

import java.util.Map;

/**
 * Which steps {@link TaskerClient#listSteps} shows, across tasks; e.g. every failed step of a
 * namespace: {@code StepQuery.all().namespace("billing").states("error")}.
 */
public final class StepQuery extends ListQuery<StepQuery> {
    private StepQuery(Map<String, String> parameters) {
        super(parameters);
    }

    /** Every step, most recently changed first. */
    public static StepQuery all() {
        return new StepQuery(Map.of());
    }

    public StepQuery namespace(String namespace) {
        return with("namespace", namespace);
    }

    /** Steps of tasks from the template named {@code taskName}. */
    public StepQuery taskName(String taskName) {
        return with("task_name", taskName);
    }

    /** The step's name. */
    public StepQuery name(String name) {
        return with("name", name);
    }

    /** Steps in any of {@code states}; none for every state. */
    public StepQuery states(String... states) {
        return with("state", states.length == 0 ? null : String.join(",", states));
    }

    @Override
    StepQuery copy(Map<String, String> parameters) {
        return new StepQuery(parameters);
    }
}
