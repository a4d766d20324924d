package io.tasker.worker.handler;

import java.util.ArrayList;
import java.util.List;

/**
 * The share of a batch one batch worker processes, as a batchable step's handler returns it in
 * {@link StepHandlerResult#batches}: its id (which names the worker step,
 * {@code <worker template>_<batchId>}), where it starts and ends (any JSON value: a row number, a
 * key, a timestamp), and how many items that is. The worker reads it back from its inputs
 * ({@link StepContext#batch()}). See docs/dynamic-workflows.md.
 */
public record CursorConfig(String batchId, Object startCursor, Object endCursor, long batchSize) {

    public CursorConfig {
        if (batchId == null || batchId.isBlank()) {
            throw new PermanentException("a cursor config needs a batch id, which names its worker step");
        }
        if (batchSize < 0) {
            throw new PermanentException("batch " + batchId + " has a batch size of " + batchSize
                    + "; it must be 0 or more");
        }
    }

    /**
     * {@code totalItems} split into {@code workers} ranges, as tasker-core's
     * {@code create_cursor_configs} splits them (so a batch splits alike in Java and Ruby): 0-based,
     * the end exclusive, {@code ceil(totalItems / workers)} items each and the rest in the last
     * (fewer, or none when there are fewer items than workers), with ids "001", "002", ... (wider
     * when there are more than 999 workers, so they still sort).
     *
     * @throws IllegalArgumentException if {@code totalItems} is negative or {@code workers} is not positive
     */
    public static List<CursorConfig> ranges(long totalItems, int workers) {
        if (totalItems < 0) {
            throw new IllegalArgumentException("totalItems must be 0 or more, got " + totalItems);
        }
        if (workers <= 0) {
            throw new IllegalArgumentException("workers must be 1 or more, got " + workers);
        }
        long perWorker = (totalItems + workers - 1) / workers;
        int width = Math.max(3, Integer.toString(workers).length());
        List<CursorConfig> ranges = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            long start = Math.min(i * perWorker, totalItems);
            long end = Math.min(start + perWorker, totalItems);
            ranges.add(new CursorConfig(String.format("%0" + width + "d", i + 1), start, end, end - start));
        }
        return List.copyOf(ranges);
    }
}
