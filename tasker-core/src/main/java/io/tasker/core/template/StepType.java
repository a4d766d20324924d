package io.tasker.core.template;

import java.util.Locale;

/**
 * What a step is to the orchestration. A {@link #DECISION} step's handler chooses which of its
 * branches (the steps that list it in depends_on) are created; a {@link #DEFERRED_CONVERGENCE}
 * step waits for those of its dependencies that were created, however many that is. A
 * {@link #BATCHABLE} step's handler splits work into batches; a {@link #BATCH_WORKER} step is the
 * template of the steps that process them, never created as itself: one instance per batch is
 * created when the batchable step completes. The spellings are tasker-core's. See
 * docs/dynamic-workflows.md.
 */
public enum StepType {
    STANDARD,
    DECISION,
    DEFERRED_CONVERGENCE,
    BATCHABLE,
    BATCH_WORKER;

    /** The spelling used in template files and JSON, e.g. {@code deferred_convergence}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type spelled {@code value} in a template file, or null when none is. */
    public static StepType of(String value) {
        for (StepType type : values()) {
            if (type.value().equals(value)) {
                return type;
            }
        }
        return null;
    }
}
