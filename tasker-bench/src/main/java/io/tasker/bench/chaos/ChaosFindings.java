package io.tasker.bench.chaos;

import java.util.List;

/**
 * What the checks of a chaos run found, one line per finding, each saying which task or step and
 * what the data shows; an empty list is a check passed.
 *
 * @param lost planned tasks that did not end {@code complete}
 * @param wrong steps whose recorded value is not the one their inputs give
 * @param recordedTwice evidence that a result was recorded more than once: a recorded result that
 *     no execution of that attempt returned, a step run again after its result was recorded, a
 *     child that read a parent's result other than the one recorded, a task that finished twice
 * @param overlaps two executions of one step at the same time, the first holder's lease not having
 *     run out
 * @param overlapsAfterLeaseExpiry the same after the first holder's lease ran out, which the
 *     guarantees allow
 * @param unexpected re-executions whose cause the guarantees do not allow
 */
public record ChaosFindings(List<String> lost, List<String> wrong, List<String> recordedTwice, List<String> overlaps,
                            List<String> overlapsAfterLeaseExpiry, List<String> unexpected) {

    public ChaosFindings {
        lost = List.copyOf(lost);
        wrong = List.copyOf(wrong);
        recordedTwice = List.copyOf(recordedTwice);
        overlaps = List.copyOf(overlaps);
        overlapsAfterLeaseExpiry = List.copyOf(overlapsAfterLeaseExpiry);
        unexpected = List.copyOf(unexpected);
    }

    /** Whether every check passed (an overlap after a lease ran out is allowed). */
    public boolean none() {
        return lost.isEmpty() && wrong.isEmpty() && recordedTwice.isEmpty() && overlaps.isEmpty()
                && unexpected.isEmpty();
    }
}
