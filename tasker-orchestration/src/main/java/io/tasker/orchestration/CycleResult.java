package io.tasker.orchestration;

import io.tasker.core.queue.ClaimedStep;

import java.util.List;

/** What one step cycle did: a result per finished step, in the order given, and the steps it claimed. */
public record CycleResult(List<RecordResult> recorded, List<ClaimedStep> claimed) {
    public CycleResult {
        recorded = List.copyOf(recorded);
        claimed = List.copyOf(claimed);
    }
}
