package io.tasker.orchestration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.orchestration.internal.Backoff;
import io.tasker.orchestration.internal.TaskFinalizer;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Records a step's outcome and advances its task's DAG in ONE transaction, under a lock on the
 * task row (ARCHITECTURE.md steps 5 and 6):
 *
 * <ol>
 *   <li>compare-and-swap the step {@code in_progress → complete | waiting_for_retry | error}, only
 *       if the recording worker still holds the claim;
 *   <li>on success, enqueue the children whose parents are now all complete;
 *   <li>finalize the task when nothing is left;
 *   <li>optionally claim waiting steps for the same worker (eager dispatch), newly ready ones included.
 * </ol>
 *
 * The task-row lock serializes the recorders of one task, so two parents finishing at once cannot
 * both miss that their common child became ready; tasks never wait on each other.
 */
public final class ResultRecorder {
    // The step's row comes with the task lock, one round trip; the claim is checked in Java.
    private static final String LOCK_TASK = """
            select t.id as task_id, t.state as task_state, s.state, s.claimed_by, s.attempts, s.max_attempts,
                   s.retryable, s.backoff_base_ms, s.max_backoff_ms
              from tasker_steps s
              join tasker_tasks t on t.id = s.task_id
             where s.id = ?
               for update of t
            """;

    private static final String RECORD = """
            with changed as (
                update tasker_steps
                   set state = ?, results = ?, last_error = ?, claimed_by = null, lease_until = null,
                       next_attempt_at = case when ? then now() + make_interval(secs => ?) end,
                       completed_at = case when ? then now() end,
                       updated_at = now()
                 where id = ? and state = 'in_progress' and claimed_by = ?
                returning id, task_id
            ), touched as (
                update tasker_tasks set updated_at = now() where id in (select task_id from changed)
            )
            insert into tasker_step_transitions (step_id, task_id, from_state, to_state, metadata)
            select id, task_id, 'in_progress', ?, ? from changed
            """;

    private static final String READY_CHILDREN = """
            select child.id
              from tasker_step_edges e
              join tasker_steps child on child.id = e.to_step_id
             where e.from_step_id = ? and child.state = 'pending'
               and not exists (
                       select 1
                         from tasker_step_edges pe
                         join tasker_steps parent on parent.id = pe.from_step_id
                        where pe.to_step_id = child.id and parent.state not in ('complete', 'resolved_manually'))
            """;

    private final DataSource dataSource;
    private final Backoff backoff;

    public ResultRecorder(DataSource dataSource) {
        this(dataSource, new Backoff());
    }

    ResultRecorder(DataSource dataSource, Backoff backoff) {
        this.dataSource = dataSource;
        this.backoff = backoff;
    }

    private record TaskRow(UUID id, TaskState state) {}

    private record StepRow(String state, String claimedBy, int attempts, int maxAttempts, boolean retryable,
            long backoffBaseMs, long maxBackoffMs) {

        boolean heldBy(String workerId) {
            return "in_progress".equals(state) && workerId.equals(claimedBy);
        }
    }

    private record Locked(TaskRow task, StepRow step) {}

    /** Records {@code outcome} for a step {@code workerId} holds; see the class comment. */
    public RecordResult record(UUID stepId, String workerId, StepOutcome outcome, EagerClaim eager) {
        return Jdbc.inTransaction(dataSource, c -> record(c, stepId, workerId, outcome, eager));
    }

    RecordResult record(Connection c, UUID stepId, String workerId, StepOutcome outcome, EagerClaim eager)
            throws SQLException {
        Optional<Locked> locked = Jdbc.queryOne(c, LOCK_TASK, row -> new Locked(
                new TaskRow(Jdbc.uuid(row, "task_id"), TaskState.fromDb(row.getString("task_state"))),
                new StepRow(row.getString("state"), row.getString("claimed_by"), row.getInt("attempts"),
                        row.getInt("max_attempts"), row.getBoolean("retryable"), row.getLong("backoff_base_ms"),
                        row.getLong("max_backoff_ms"))), stepId);
        if (locked.isEmpty()) {
            return new RecordResult(false, null, null, List.of());
        }
        TaskRow task = locked.get().task();
        StepRow step = locked.get().step();
        if (!step.heldBy(workerId)) {
            return new RecordResult(false, null, task.state(), List.of());
        }

        StepState target;
        Duration retryIn = null;
        ObjectNode history = Json.MAPPER.createObjectNode().put("worker", workerId).put("attempt", step.attempts());
        Jdbc.JsonParam results = null;
        Jdbc.JsonParam lastError = null;
        switch (outcome) {
            case StepOutcome.Success success -> {
                target = StepState.COMPLETE;
                results = Jdbc.json(Json.write(success.result()));
                if (success.metadata() != null && !success.metadata().isNull()) {
                    history.set("metadata", success.metadata());
                }
            }
            case StepOutcome.Failure failure -> {
                StepRow s = step;
                boolean retry = failure.retryable() && s.retryable() && s.attempts() < s.maxAttempts();
                target = retry ? StepState.WAITING_FOR_RETRY : StepState.ERROR;
                if (retry) {
                    retryIn = backoff.delay(s.attempts(), s.backoffBaseMs(), s.maxBackoffMs(), failure.retryAfter());
                }
                ObjectNode error = errorDocument(failure, s, retryIn);
                lastError = Jdbc.json(Json.write(error));
                history.set("error", error);
            }
        }

        int changed = Jdbc.update(c, RECORD, target.dbValue(), results, lastError,
                retryIn != null, retryIn == null ? 0.0 : retryIn.toNanos() / 1e9, target.isFinal(),
                stepId, workerId, target.dbValue(), Jdbc.json(Json.write(history)));
        if (changed == 0) {
            return new RecordResult(false, null, task.state(), List.of());
        }

        if (target == StepState.COMPLETE) {
            List<UUID> ready = Jdbc.query(c, READY_CHILDREN, row -> Jdbc.uuid(row, "id"), stepId);
            StepQueue.enqueue(c, ready);
        } else if (retryIn != null && retryIn.isZero()) {
            StepQueue.enqueue(c, List.of(stepId));
        }
        TaskState taskState = TaskFinalizer.finalizeIfDone(c, task.id(), task.state());

        // Claim whatever is waiting, not only the children just made ready: the worker's slot is
        // free either way, and this saves it a separate claim round trip.
        List<ClaimedStep> claimed = List.of();
        if (eager.maxSteps() > 0 && !eager.namespaces().isEmpty()) {
            claimed = StepQueue.claim(c, eager.workerId(), eager.namespaces(), eager.callables(), eager.maxSteps(),
                    eager.lease());
        }
        return new RecordResult(true, target, taskState, claimed);
    }

    private static ObjectNode errorDocument(StepOutcome.Failure failure, StepRow step, Duration retryIn) {
        ObjectNode error = Json.MAPPER.createObjectNode()
                .put("message", failure.message())
                .put("error_type", failure.errorType())
                .put("retryable", failure.retryable())
                .put("attempt", step.attempts())
                .put("max_attempts", step.maxAttempts());
        if (failure.retryAfter() != null) {
            error.put("retry_after_ms", failure.retryAfter().toMillis());
        }
        if (retryIn != null) {
            error.put("retry_in_ms", retryIn.toMillis());
        }
        if (failure.details() != null && !failure.details().isNull()) {
            error.set("details", failure.details());
        }
        return error;
    }
}
