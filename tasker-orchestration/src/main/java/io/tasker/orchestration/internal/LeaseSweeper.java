package io.tasker.orchestration.internal;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.StepQueue;
import io.tasker.orchestration.EagerClaim;
import io.tasker.orchestration.ResultRecorder;
import io.tasker.orchestration.StepOutcome;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

/**
 * Recovers steps whose worker stopped renewing its lease (it died or hung). A step with attempts
 * left becomes claimable again, the attempt counted; a step that has used them all fails for good
 * through the {@link ResultRecorder}, so its task is finalized like any other failure.
 */
public final class LeaseSweeper {
    private static final String EXHAUSTED = """
            select id, claimed_by, attempts
              from tasker_steps
             where state = 'in_progress' and lease_until < now() and attempts >= max_attempts
             order by lease_until
             limit ?
            """;

    private record Expired(UUID stepId, String claimedBy, int attempts) {}

    private final DataSource dataSource;
    private final ResultRecorder recorder;
    private final int batchSize;

    public LeaseSweeper(DataSource dataSource, ResultRecorder recorder, int batchSize) {
        this.dataSource = dataSource;
        this.recorder = recorder;
        this.batchSize = batchSize;
    }

    /** Returns how many steps were recovered or failed. */
    public int sweep() {
        List<Expired> exhausted = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, EXHAUSTED,
                row -> new Expired(Jdbc.uuid(row, "id"), row.getString("claimed_by"), row.getInt("attempts")),
                batchSize));
        int failed = 0;
        for (Expired step : exhausted) {
            var details = Json.MAPPER.createObjectNode().put("claimed_by", step.claimedBy());
            StepOutcome outcome = new StepOutcome.Failure(
                    "lease expired on attempt " + step.attempts() + " of " + step.attempts()
                            + ": worker " + step.claimedBy() + " stopped renewing it (crashed, hung or cut off)",
                    "lease_expired", false, null, details);
            // The recorder's compare-and-swap on the holder makes a race with a late result harmless.
            if (recorder.record(step.stepId(), step.claimedBy(), outcome, EagerClaim.none(step.claimedBy())).recorded()) {
                failed++;
            }
        }
        return failed + StepQueue.requeueExpiredLeases(dataSource, batchSize);
    }
}
