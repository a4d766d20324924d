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
 *   <li>optionally claim newly ready steps for the same worker (eager dispatch).
 * </ol>
 *
 * The task-row lock serializes the recorders of one task, so two parents finishing at once cannot
 * both miss that their common child became ready; tasks never wait on each other.
 */
public final class ResultRecorder {
    private static final String LOCK_TASK = """
            select t.id, t.state
              from tasker_steps s
              join tasker_tasks t on t.id = s.task_id
             where s.id = ?
               for update of t
            """;

    private static final String STEP = """
            select attempts, max_attempts, retryable, backoff_base_ms, max_backoff_ms
              from tasker_steps
             where id = ? and state = 'in_progress' and claimed_by = ?
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

    private static final String TOUCH_TASK = "update tasker_tasks set updated_at = now() where id = ?";

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

    private record StepRow(int attempts, int maxAttempts, boolean retryable, long backoffBaseMs, long maxBackoffMs) {}

    /** Records {@code outcome} for a step {@code workerId} holds; see the class comment. */
    public RecordResult record(UUID stepId, String workerId, StepOutcome outcome, EagerClaim eager) {
        return Jdbc.inTransaction(dataSource, c -> record(c, stepId, workerId, outcome, eager));
    }

    RecordResult record(Connection c, UUID stepId, String workerId, StepOutcome outcome, EagerClaim eager)
            throws SQLException {
        Optional<TaskRow> task = Jdbc.queryOne(c, LOCK_TASK,
                row -> new TaskRow(Jdbc.uuid(row, "id"), TaskState.fromDb(row.getString("state"))), stepId);
        if (task.isEmpty()) {
            return new RecordResult(false, null, null, List.of());
        }
        Optional<StepRow> step = Jdbc.queryOne(c, STEP, row -> new StepRow(row.getInt("attempts"),
                row.getInt("max_attempts"), row.getBoolean("retryable"), row.getLong("backoff_base_ms"),
                row.getLong("max_backoff_ms")), stepId, workerId);
        if (step.isEmpty()) {
            return new RecordResult(false, null, task.get().state(), List.of());
        }

        StepState target;
        Duration retryIn = null;
        ObjectNode history = Json.MAPPER.createObjectNode().put("worker", workerId).put("attempt", step.get().attempts());
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
                StepRow s = step.get();
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
            return new RecordResult(false, null, task.get().state(), List.of());
        }
        Jdbc.update(c, TOUCH_TASK, task.get().id());

        int enqueued = 0;
        if (target == StepState.COMPLETE) {
            List<UUID> ready = Jdbc.query(c, READY_CHILDREN, row -> Jdbc.uuid(row, "id"), stepId);
            enqueued = StepQueue.enqueue(c, ready);
        } else if (retryIn != null && retryIn.isZero()) {
            enqueued = StepQueue.enqueue(c, List.of(stepId));
        }
        TaskState taskState = TaskFinalizer.finalizeIfDone(c, task.get().id(), task.get().state());

        List<ClaimedStep> claimed = List.of();
        if (enqueued > 0 && eager.maxSteps() > 0 && !eager.namespaces().isEmpty()) {
            claimed = StepQueue.claim(c, eager.workerId(), eager.namespaces(), eager.maxSteps(), eager.lease());
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
