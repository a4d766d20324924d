package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.state.StateTransitions;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.state.TransitionOutcome;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What an operator does to a task that went wrong: cancel it, or take a failed step in hand:
 * run it again, count it as done, or give it a result. Each action is one transaction that locks
 * the task row, checks the states allow it, and records who did it and why.
 *
 * <p>History: the step row holds a step's current (or last) attempt, and
 * {@code tasker_step_attempts} those that ended without ending the step (see the V2 migration). An
 * action first moves the attempt on the row into that table, then adds a row of its own
 * ({@code reason = 'operator'}, no start time) whose metadata names the action, the actor and the
 * reason; a change of the task's state goes to {@code tasker_task_transitions} with the same
 * metadata. {@link TaskQueries#history} shows both.
 *
 * <p>A step in flight when its task is cancelled is not told here: its worker's next heartbeat
 * finds the claim gone and stops the handler, and the compare-and-swap on its claim refuses its
 * late result.
 *
 * <p>Each action taken is logged on one INFO line ({@link TaskLog}) with who did it and why.
 */
public final class OperatorActions {
    /** What an action did, or why it did nothing. */
    public sealed interface Outcome {
        /** The action was taken; the task as it is now. */
        record Done(TaskView task) implements Outcome {}

        /** No such task, or no such step in it. */
        record NotFound(String message) implements Outcome {}

        /** The task or step is in a state the action does not apply to. */
        record Conflict(String message, String state) implements Outcome {}
    }

    private static final Set<TaskState> CANCELLABLE = EnumSet.of(TaskState.PENDING, TaskState.IN_PROGRESS,
            TaskState.ERROR);
    private static final List<String> UNFINISHED_STEPS = List.of(StepState.PENDING.dbValue(),
            StepState.ENQUEUED.dbValue(), StepState.WAITING_FOR_RETRY.dbValue(), StepState.IN_PROGRESS.dbValue(),
            StepState.ERROR.dbValue());

    private static final String LOCK_TASK = "select state from tasker_tasks where id = ? for no key update";
    private static final String LOCK_STEP = """
            select name, state, step_type, position
              from tasker_steps where id = ? and task_id = ? for no key update
            """;

    /** What a result given by hand decides, read as the step path reads a handler's (V6 migration). */
    private static final String READ_DECISION = "select tasker_read_decision(?, ?::jsonb)::text";

    /** What a result given by hand asks of a batchable step, read as the step path reads a handler's (V7). */
    private static final String READ_BATCH = "select tasker_read_batch(?, ?::jsonb)::text";

    private static final String RECORD_DECISION = """
            update tasker_steps set branches = translate((?::jsonb) ->> 'branches', '[]', '{}')::int[] where id = ?
            """;

    /**
     * The steps a decision or a batchable step settled, created as the step path creates them (V6
     * and V7 migrations), none claimed; the batch, when one is given, as the step path passes it.
     */
    private static final String GROW = """
            select state, namespace from tasker_grow_tasks(array[?]::uuid[], array[?]::int[], null, 0, null, null, null,
                                                           ?::jsonb)
            """;

    /** The attempt a failed step's row holds goes to the history before the row changes. */
    private static final String ARCHIVE_FAILED_ATTEMPT = """
            insert into tasker_step_attempts (task_id, step_id, attempt, worker_id, enqueued_at, started_at, ended_at,
                                              outcome, error, metadata)
            select task_id, id, attempts, claimed_by, enqueued_at, claimed_at, coalesce(completed_at, updated_at),
                   'error', last_error, result_metadata
              from tasker_steps
             where task_id = ? and state = 'error' and (?::uuid is null or id = ?)
            """;

    /** The action's own entry; a step cancelled while it ran shows its claim first. */
    private static final String RECORD_STEP_ACTION = """
            insert into tasker_step_attempts (task_id, step_id, attempt, worker_id, enqueued_at, started_at, ended_at,
                                              outcome, reason, metadata)
            select task_id, id, attempts, claimed_by, enqueued_at, case when state = 'in_progress' then claimed_at end,
                   now(), ?, 'operator', ?::jsonb
              from tasker_steps
             where task_id = ? and state = any(?) and (?::uuid is null or id = ?)
            """;

    private static final String CANCEL_STEPS = """
            update tasker_steps
               set state = 'cancelled', claimed_at = null, lease_until = null, next_attempt_at = null,
                   completed_at = now(), updated_at = now()
             where task_id = ? and state = any(?)
            """;

    /**
     * A retried step gets as many attempts again as its template gives it, counted on from the
     * ones it used: attempt numbers stay unique in its history, and a handler that looks at its
     * attempt number sees the truth.
     */
    private static final String RETRY_STEP = """
            update tasker_steps s
               set state = 'enqueued', last_error = null, next_attempt_at = null, claimed_at = null,
                   lease_until = null, completed_at = null, enqueued_at = now(), updated_at = now(),
                   max_attempts = s.attempts + coalesce(
                       (select (d.step -> 'retry' ->> 'max_attempts')::int
                          from tasker_tasks t
                          join tasker_templates tt on tt.id = t.template_id,
                               jsonb_array_elements(tt.definition -> 'steps') as d (step)
                         where t.id = s.task_id and d.step ->> 'name' = s.name),
                       s.max_attempts)
             where s.id = ?
            returning s.namespace
            """;

    private static final String SETTLE_STEP = """
            update tasker_steps
               set state = ?, results = coalesce(?::jsonb, results), claimed_at = null, lease_until = null,
                   next_attempt_at = null, completed_at = now(), updated_at = now()
             where id = ?
            """;

    /** The step counts as done for its children: one parent fewer to wait for, ready at zero. */
    private static final String RELEASE_CHILDREN = """
            update tasker_steps c
               set parents_pending = c.parents_pending - 1,
                   state = case when c.parents_pending = 1 then 'enqueued' else c.state end,
                   enqueued_at = case when c.parents_pending = 1 then now() else c.enqueued_at end,
                   updated_at = now()
              from tasker_steps p, unnest(p.children) as k (position)
             where p.id = ? and c.task_id = p.task_id and c.position = k.position and c.state = 'pending'
            returning c.namespace, c.state
            """;

    /** What the task's steps make of it now, by the rule the step cycle finalizes tasks with. */
    private static final String TASK_TARGET = """
            select case when count(*) filter (where state not in ('complete', 'resolved_manually')) = 0 then 'complete'
                        when count(*) filter (where state in ('enqueued', 'in_progress', 'waiting_for_retry')) = 0
                             and count(*) filter (where state = 'error') > 0 then 'error'
                        else 'in_progress' end
              from tasker_steps
             where task_id = ?
            """;

    private static final String RESOLVE_DEAD_LETTER = """
            update tasker_dead_letters
               set resolved_at = now(), resolved_by = ?, resolution = ?
             where task_id = ? and resolved_at is null
            """;

    private static final String NOTIFY = "select tasker_notify(?)";

    private final DataSource dataSource;
    private final TaskQueries queries;
    private final TaskLog taskLog = new TaskLog(Clock.systemUTC());

    public OperatorActions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queries = new TaskQueries(dataSource);
    }

    /**
     * Cancels a task that is pending, in progress or in error: every step not finished is
     * cancelled, and the task's open dead letter is resolved.
     */
    public Outcome cancelTask(UUID taskId, String actor, String reason) {
        ObjectNode why = why("cancel", actor, reason, null);
        Outcome outcome = Jdbc.inTransaction(dataSource, c -> {
            Optional<TaskState> state = lockTask(c, taskId);
            if (state.isEmpty()) {
                return new Outcome.NotFound("no task " + taskId);
            }
            if (!CANCELLABLE.contains(state.get())) {
                return new Outcome.Conflict("task " + taskId + " is " + state.get().dbValue()
                        + "; only a task that is pending, in_progress or error can be cancelled",
                        state.get().dbValue());
            }
            Jdbc.update(c, ARCHIVE_FAILED_ATTEMPT, taskId, null, null);
            Jdbc.update(c, RECORD_STEP_ACTION, StepState.CANCELLED.dbValue(), Jdbc.json(why.toString()), taskId,
                    Jdbc.textArray(UNFINISHED_STEPS), null, null);
            Jdbc.update(c, CANCEL_STEPS, taskId, Jdbc.textArray(UNFINISHED_STEPS));
            changeTask(c, taskId, state.get(), TaskState.CANCELLED, why);
            Jdbc.update(c, RESOLVE_DEAD_LETTER, actor, "cancelled", taskId);
            return null;
        });
        return outcome != null ? outcome : done(taskId, null, "cancelled", actor, reason);
    }

    /**
     * Runs a step in error again, with as many attempts again as its template gives it (numbered
     * on from those it used); a task in error is in progress again.
     */
    public Outcome retryStep(UUID taskId, UUID stepId, String actor, String reason) {
        return onFailedStep(taskId, stepId, "retry", actor, reason, null);
    }

    /**
     * Counts a step in error as done: its children run (without a result from it), the task goes
     * on. A decision step resolved so chooses no branches; a batchable step creates no workers, and
     * the steps after them run.
     */
    public Outcome resolveStep(UUID taskId, UUID stepId, String actor, String reason) {
        return onFailedStep(taskId, stepId, "resolve", actor, reason, null);
    }

    /**
     * Completes a step in error with {@code result}, which its children see as its result. For a
     * decision step the result must hold a valid {@code decision_point_outcome}, whose steps are
     * then created, for a batchable step a valid {@code batch_processing_outcome}, whose workers
     * are then created (the result is kept without its cursor_configs, as the step path keeps it);
     * one that does not is a conflict saying why.
     */
    public Outcome completeStep(UUID taskId, UUID stepId, JsonNode result, String actor, String reason) {
        return onFailedStep(taskId, stepId, "complete", actor, reason,
                Objects.requireNonNull(result, "result"));
    }

    private Outcome onFailedStep(UUID taskId, UUID stepId, String action, String actor, String reason,
                                 JsonNode result) {
        Outcome outcome = Jdbc.inTransaction(dataSource, c -> {
            Optional<TaskState> task = lockTask(c, taskId);
            if (task.isEmpty()) {
                return new Outcome.NotFound("no task " + taskId);
            }
            Optional<LockedStep> step = Jdbc.queryOne(c, LOCK_STEP, row -> new LockedStep(row.getString("name"),
                    row.getString("state"), row.getString("step_type"), row.getInt("position")), stepId, taskId);
            if (step.isEmpty()) {
                return new Outcome.NotFound("task " + taskId + " has no step " + stepId);
            }
            String name = step.get().name();
            String state = step.get().state();
            boolean decision = "decision".equals(step.get().type());
            boolean batchable = "batchable".equals(step.get().type());
            if (!state.equals(StepState.ERROR.dbValue())) {
                return new Outcome.Conflict("step '" + name + "' is " + state + "; only a step in error can be "
                        + (action.equals("retry") ? "retried" : action.equals("resolve") ? "resolved" : "completed")
                        + " by hand", state);
            }
            ObjectNode why = why(action, actor, reason, name);
            StepState target = switch (action) {
                case "retry" -> StepState.ENQUEUED;
                case "resolve" -> StepState.RESOLVED_MANUALLY;
                default -> StepState.COMPLETE;
            };
            JsonNode verdict = null;
            JsonNode stored = result;
            ArrayNode batches = null;
            if ((decision || batchable) && target == StepState.COMPLETE) {
                verdict = Json.parse(Jdbc.queryOne(c, decision ? READ_DECISION : READ_BATCH, row -> row.getString(1),
                        stepId, Jdbc.json(result.toString())).orElseThrow());
                if (verdict.has("problem")) {
                    return new Outcome.Conflict("the result cannot complete " + step.get().type() + " step '" + name
                            + "': " + verdict.get("problem").asText(), state);
                }
                if (batchable) {
                    stored = result.deepCopy();
                    ((ObjectNode) stored.get("batch_processing_outcome")).remove("cursor_configs");
                    batches = Json.MAPPER.createArrayNode();
                    batches.add(((ObjectNode) verdict.get("batch").deepCopy()).put("task", taskId.toString())
                            .put("created_by", step.get().position()));
                }
            }
            Jdbc.update(c, ARCHIVE_FAILED_ATTEMPT, taskId, stepId, stepId);
            Jdbc.update(c, RECORD_STEP_ACTION, target.dbValue(), Jdbc.json(why.toString()), taskId,
                    Jdbc.textArray(List.of(StepState.ERROR.dbValue())), stepId, stepId);
            Set<String> wake = new TreeSet<>();
            if (target == StepState.ENQUEUED) {
                Jdbc.queryOne(c, RETRY_STEP, row -> row.getString(1), stepId).ifPresent(wake::add);
            } else {
                Jdbc.update(c, SETTLE_STEP, target.dbValue(), stored == null ? null : Jdbc.json(stored.toString()),
                        stepId);
                if (decision && verdict != null) {
                    Jdbc.update(c, RECORD_DECISION, Jdbc.json(verdict.toString()), stepId);
                }
                List<String[]> released = new ArrayList<>(Jdbc.query(c, RELEASE_CHILDREN,
                        row -> new String[] {row.getString(1), row.getString(2)}, stepId));
                if (decision || batchable) {
                    released.addAll(Jdbc.query(c, GROW, row -> new String[] {row.getString(2), row.getString(1)},
                            taskId, step.get().position(), batches == null ? null : Jdbc.json(batches.toString())));
                }
                for (String[] child : released) {
                    if (child[1].equals(StepState.ENQUEUED.dbValue())) {
                        wake.add(child[0]);
                    }
                }
            }
            TaskState next = TaskState.fromDb(Jdbc.queryOne(c, TASK_TARGET, row -> row.getString(1), taskId)
                    .orElseThrow());
            if (task.get() == TaskState.ERROR && next == TaskState.COMPLETE) {
                // A task in error goes on before it ends: the state machine has no error -> complete.
                changeTask(c, taskId, TaskState.ERROR, TaskState.IN_PROGRESS, why);
                changeTask(c, taskId, TaskState.IN_PROGRESS, TaskState.COMPLETE,
                        Json.MAPPER.createObjectNode().put("reason", "all_steps_complete"));
            } else if (next != task.get()) {
                changeTask(c, taskId, task.get(), next, why);
            }
            if (task.get() == TaskState.ERROR) {
                Jdbc.update(c, RESOLVE_DEAD_LETTER, actor, action, taskId);
            }
            if (!wake.isEmpty()) {
                Jdbc.queryOne(c, NOTIFY, row -> Boolean.TRUE, Jdbc.textArray(wake));
            }
            return null;
        });
        return outcome != null ? outcome : done(taskId, stepId, switch (action) {
            case "retry" -> "retried";
            case "resolve" -> "resolved";
            default -> "completed";
        }, actor, reason);
    }

    /** {@code type} is null for a standard step. */
    private record LockedStep(String name, String state, String type, int position) {}

    private static Optional<TaskState> lockTask(Connection c, UUID taskId) throws SQLException {
        return Jdbc.queryOne(c, LOCK_TASK, row -> TaskState.fromDb(row.getString(1)), taskId);
    }

    /** The task row is locked, so the change applies; anything else is a bug worth failing on. */
    private static void changeTask(Connection c, UUID taskId, TaskState from, TaskState to, ObjectNode why)
            throws SQLException {
        TransitionOutcome<TaskState> outcome = StateTransitions.transitionTask(c, taskId, from, to, why.toString());
        if (!(outcome instanceof TransitionOutcome.Applied<TaskState>)) {
            throw new IllegalStateException("task " + taskId + " could not go from " + from.dbValue() + " to "
                    + to.dbValue() + ": " + outcome);
        }
    }

    private static ObjectNode why(String action, String actor, String reason, String step) {
        ObjectNode why = Json.MAPPER.createObjectNode().put("action", action)
                .put("actor", Objects.requireNonNull(actor, "actor"));
        if (step != null) {
            why.put("step", step);
        }
        if (reason != null && !reason.isBlank()) {
            why.put("reason", reason);
        }
        return why;
    }

    /** The task after an action that was taken, which is logged then. */
    private Outcome done(UUID taskId, UUID stepId, String action, String actor, String reason) {
        Optional<TaskView> task = queries.find(taskId);
        task.ifPresent(view -> taskLog.operatorAction(actor, action, view, stepId, reason));
        return task.<Outcome>map(Outcome.Done::new).orElseGet(() -> new Outcome.NotFound("no task " + taskId));
    }
}
