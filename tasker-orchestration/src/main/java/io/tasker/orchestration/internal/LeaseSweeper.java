package io.tasker.orchestration.internal;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.StepQueue;
import io.tasker.orchestration.FinishedStep;
import io.tasker.orchestration.ResultRecorder;
import io.tasker.orchestration.StepOutcome;

import io.tasker.core.queue.ExpiredLease;

import javax.sql.DataSource;
import java.util.List;
import java.util.function.Consumer;

/**
 * Recovers steps whose worker stopped renewing its lease (it died or hung). A step with attempts
 * left becomes claimable again, the attempt counted; a step that has used them all fails for good
 * through the {@link ResultRecorder}, so its task is finalized like any other failure. Each step
 * requeued is handed to a listener, for the log.
 */
public final class LeaseSweeper {
    private static final String EXHAUSTED = """
            select s.id, s.name, s.task_id, s.namespace, t.name as task_name, s.claimed_by, s.attempts,
                   s.max_attempts, s.retryable, s.backoff_base_ms, s.max_backoff_ms
              from tasker_steps s
              join tasker_tasks t on t.id = s.task_id
             where s.state = 'in_progress' and s.lease_until < now() and s.attempts >= s.max_attempts
             order by s.lease_until
             limit ?
            """;

    private record Expired(String claimedBy, FinishedStep step) {}

    private final DataSource dataSource;
    private final ResultRecorder recorder;
    private final int batchSize;
    private final Consumer<ExpiredLease> requeued;

    public LeaseSweeper(DataSource dataSource, ResultRecorder recorder, int batchSize, Consumer<ExpiredLease> requeued) {
        this.dataSource = dataSource;
        this.recorder = recorder;
        this.batchSize = batchSize;
        this.requeued = requeued;
    }

    /** Returns how many steps were recovered or failed. */
    public int sweep() {
        List<Expired> exhausted = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, EXHAUSTED, row -> {
            String claimedBy = row.getString("claimed_by");
            int attempts = row.getInt("attempts");
            StepOutcome outcome = new StepOutcome.Failure(
                    "lease expired on attempt " + attempts + " of " + row.getInt("max_attempts") + ": worker "
                            + claimedBy + " stopped renewing it (crashed, hung or cut off)",
                    "lease_expired", false, null, Json.MAPPER.createObjectNode().put("claimed_by", claimedBy));
            return new Expired(claimedBy, new FinishedStep(Jdbc.uuid(row, "id"), row.getString("name"),
                    Jdbc.uuid(row, "task_id"), row.getString("namespace"), row.getString("task_name"), attempts,
                    row.getInt("max_attempts"), row.getBoolean("retryable"), row.getLong("backoff_base_ms"),
                    row.getLong("max_backoff_ms"), outcome));
        }, batchSize));
        int failed = 0;
        for (Expired expired : exhausted) {
            // The recorder's compare-and-swap on the holder and attempt makes a race with a late result harmless.
            if (recorder.record(expired.claimedBy(), expired.step()).recorded()) {
                failed++;
            }
        }
        List<ExpiredLease> again = StepQueue.requeueExpiredLeases(dataSource, batchSize);
        again.forEach(requeued);
        return failed + again.size();
    }
}
