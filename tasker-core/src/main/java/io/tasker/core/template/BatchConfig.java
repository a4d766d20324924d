package io.tasker.core.template;

import java.util.List;

/**
 * How a batch worker step's instances process their batches, tasker-core's {@code batch_config}.
 * Tasker reads {@code checkpoint_interval}, {@code cursor_field} and {@code failure_strategy} into
 * every instance's {@code batch_metadata}; the others describe how the batchable step sizes the
 * batches and are kept for its handler and for people.
 *
 * @param batchSize          items per batch, or null when not given
 * @param parallelism        batches meant to run at once, or null when not given
 * @param cursorField        the field the cursor ranges over, or null when not given
 * @param workerTemplate     the batch worker step's name, as tasker-core writes it, or null
 * @param failureStrategy    one of {@link #FAILURE_STRATEGIES}, fail_fast when not given
 * @param checkpointInterval items between checkpoints, 100 when not given
 */
public record BatchConfig(Integer batchSize, Integer parallelism, String cursorField, String workerTemplate,
                          String failureStrategy, int checkpointInterval) {
    public static final List<String> FAILURE_STRATEGIES = List.of("fail_fast", "continue_on_failure",
            "isolate_failed");
    public static final String DEFAULT_FAILURE_STRATEGY = "fail_fast";
    public static final int DEFAULT_CHECKPOINT_INTERVAL = 100;
    public static final BatchConfig DEFAULT = new BatchConfig(null, null, null, null, null,
            DEFAULT_CHECKPOINT_INTERVAL);

    public BatchConfig {
        failureStrategy = failureStrategy == null ? DEFAULT_FAILURE_STRATEGY : failureStrategy;
        Rules.require(Rules.failureStrategy(failureStrategy),
                Rules.positive("batch_config.checkpoint_interval", checkpointInterval),
                batchSize == null ? null : Rules.positive("batch_config.batch_size", batchSize),
                parallelism == null ? null : Rules.positive("batch_config.parallelism", parallelism));
    }
}
