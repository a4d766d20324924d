package io.tasker.orchestration;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.JsonLimits;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepRows;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.orchestration.internal.Backoff;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Records finished steps and advances their tasks' DAGs (ARCHITECTURE.md steps 5 and 6), and
 * claims the next steps for the slots that frees, in ONE transaction and one round trip: a call
 * of the server-side function {@code tasker_step_cycle} (V2 migration), in which
 *
 * <ol>
 *   <li>each step is compared-and-swapped {@code in_progress → complete | waiting_for_retry |
 *       enqueued | error}, only if the worker still holds it at that attempt, and the attempt is
 *       appended to the history;
 *   <li>each child of a completed step counts one parent fewer to wait for, under its row lock,
 *       and is enqueued when none is left;
 *   <li>a task whose last active step just ended is finalized, under a lock on the task row;
 *   <li>waiting steps are claimed for the worker (eager dispatch), newly ready ones included, and
 *       come back with their context and ancestor results;
 *   <li>workers are notified only of steps left enqueued.
 * </ol>
 *
 * Several finished steps go into one call (group commit); each is still recorded all or nothing,
 * and a lost claim of one does not affect the others. What the outcome means (retry, backoff,
 * error) is decided here, before the call, so the SQL only applies it. Once the call committed,
 * {@link TaskLog} writes a line for each failure, retry and finished task.
 */
public final class ResultRecorder {
    private static final String CYCLE = "select * from tasker_step_cycle(?, ?, ?, ?, ?, ?)";
    /** PostgreSQL's class of data exceptions: a value a column cannot hold, such as a NUL in jsonb. */
    private static final String DATA_EXCEPTION = "22";

    /** A finished step with what its outcome means: the state it moves to, and when it runs again (null: never). */
    private record Decided(FinishedStep step, StepState target, Duration retryIn) {}

    private final DataSource dataSource;
    private final Backoff backoff;
    private final TaskLog taskLog;

    public ResultRecorder(DataSource dataSource) {
        this(dataSource, new Backoff(), Clock.systemUTC());
    }

    ResultRecorder(DataSource dataSource, Backoff backoff, Clock clock) {
        this.dataSource = dataSource;
        this.backoff = backoff;
        this.taskLog = new TaskLog(clock);
    }

    /** Records one finished step for {@code workerId}, claiming nothing. */
    public RecordResult record(String workerId, FinishedStep finished) {
        return cycle(workerId, List.of(finished), EagerClaim.none(workerId)).recorded().getFirst();
    }

    /**
     * Records {@code finished} (steps {@code workerId} holds) and claims what {@code claim} asks
     * for, in one transaction. An outcome the database cannot store (a JSON string with a NUL
     * character, say) is recorded as a permanent failure saying so, without holding up the others.
     *
     * @throws io.tasker.core.db.DatabaseException when the database cannot be reached or refuses the
     *         call for another reason; nothing was recorded then
     */
    public CycleResult cycle(String workerId, List<FinishedStep> finished, EagerClaim claim) {
        try {
            return call(workerId, finished, claim);
        } catch (RuntimeException e) {
            if (!unstorable(e) || finished.isEmpty()) {
                throw e;
            }
            return oneByOne(workerId, finished, claim, e);
        }
    }

    /** After an unstorable outcome spoiled a group: each step alone, the bad one as a failure. */
    private CycleResult oneByOne(String workerId, List<FinishedStep> finished, EagerClaim claim, RuntimeException e) {
        if (finished.size() == 1) {
            FinishedStep failed = finished.getFirst().withOutcome(new StepOutcome.Failure(
                    "the step's outcome cannot be stored: " + rootMessage(e), "OutcomeNotStorable", false, null,
                    null));
            return call(workerId, List.of(failed), claim);
        }
        List<RecordResult> recorded = new ArrayList<>(finished.size());
        for (FinishedStep step : finished) {
            recorded.add(cycle(workerId, List.of(step), EagerClaim.none(workerId)).recorded().getFirst());
        }
        return new CycleResult(recorded, cycle(workerId, List.of(), claim).claimed());
    }

    private CycleResult call(String workerId, List<FinishedStep> finished, EagerClaim claim) {
        List<Decided> decided = decide(finished);
        CycleResult result = Jdbc.withConnection(dataSource, c -> run(c, workerId, decided, claim));
        log(workerId, decided, result.recorded());
        return result;
    }

    /**
     * One cycle in the caller's transaction, logging nothing since it may yet roll back; tests hold
     * one open to race another.
     */
    CycleResult cycle(Connection connection, String workerId, List<FinishedStep> finished, EagerClaim claim)
            throws SQLException {
        return run(connection, workerId, decide(finished), claim);
    }

    private CycleResult run(Connection connection, String workerId, List<Decided> finished, EagerClaim claim)
            throws SQLException {
        String outcomes = finished.isEmpty() ? null : outcomesJson(finished);
        int limit = claim.namespaces().isEmpty() || (claim.callables() != null && claim.callables().isEmpty())
                ? 0 : claim.maxSteps();
        try (PreparedStatement statement = Jdbc.prepare(connection, CYCLE, workerId,
                outcomes == null ? null : Jdbc.json(outcomes),
                Jdbc.textArray(new LinkedHashSet<>(claim.namespaces())),
                claim.callables() == null ? null : Jdbc.textArray(new LinkedHashSet<>(claim.callables())),
                limit, limit > 0 ? claim.lease().toNanos() / 1e9 : 1.0);
             ResultSet rows = statement.executeQuery()) {
            return result(finished, rows);
        }
    }

    private static CycleResult result(List<Decided> finished, ResultSet rows) throws SQLException {
        Map<UUID, RecordResult> byStep = new HashMap<>();
        List<ClaimedStep> claimed = new ArrayList<>();
        while (rows.next()) {
            String kind = StepRows.kind(rows);
            if (StepRows.CLAIMED.equals(kind)) {
                claimed.add(StepRows.claimed(rows));
                continue;
            }
            UUID stepId = Jdbc.uuid(rows, "step_id");
            String taskState = rows.getString("task_state");
            byStep.put(stepId, new RecordResult(stepId, true, StepState.fromDb(rows.getString("state")),
                    taskState == null ? null : TaskState.fromDb(taskState)));
        }
        // A step the worker no longer held at that attempt has no row: nothing was written for it.
        List<RecordResult> recorded = new ArrayList<>(finished.size());
        for (Decided decided : finished) {
            UUID stepId = decided.step().stepId();
            recorded.add(byStep.getOrDefault(stepId, new RecordResult(stepId, false, null, null)));
        }
        return new CycleResult(recorded, claimed);
    }

    /** What each outcome means: a success completes its step, a failure retries it (when and how soon) or fails it. */
    private List<Decided> decide(List<FinishedStep> finished) {
        List<Decided> decided = new ArrayList<>(finished.size());
        for (FinishedStep given : finished) {
            FinishedStep step = storable(given);
            Decided decision = switch (step.outcome()) {
                case StepOutcome.Success success -> new Decided(step, StepState.COMPLETE, null);
                case StepOutcome.Checkpoint checkpoint -> new Decided(step, StepState.IN_PROGRESS, null);
                case StepOutcome.Failure failure -> {
                    boolean retry = failure.retryable() && step.retryable() && step.attempt() < step.maxAttempts();
                    Duration retryIn = retry ? backoff.delay(step.attempt(), step.backoffBaseMs(),
                            step.maxBackoffMs(), failure.retryAfter()) : null;
                    yield new Decided(step, retryIn == null ? StepState.ERROR
                            : retryIn.isZero() ? StepState.ENQUEUED : StepState.WAITING_FOR_RETRY, retryIn);
                }
            };
            if (decision.target() != StepState.IN_PROGRESS
                    && !StepState.IN_PROGRESS.canTransitionTo(decision.target())) {
                throw new IllegalStateException("a finished step cannot move from in_progress to " + decision.target());
            }
            decided.add(decision);
        }
        return decided;
    }

    /** The outcomes as the SQL function takes them, each with the state the step moves to. */
    private static String outcomesJson(List<Decided> finished) {
        ArrayNode outcomes = Json.MAPPER.createArrayNode();
        for (Decided decided : finished) {
            FinishedStep step = decided.step();
            ObjectNode outcome = outcomes.addObject()
                    .put("step_id", step.stepId().toString())
                    .put("attempt", step.attempt());
            switch (step.outcome()) {
                case StepOutcome.Success success -> {
                    outcome.set("results", success.result());
                    if (success.metadata() != null && !success.metadata().isNull()) {
                        outcome.set("metadata", success.metadata());
                    }
                }
                case StepOutcome.Checkpoint checkpoint -> {
                    ObjectNode saved = outcome.putObject("checkpoint");
                    saved.set("cursor", checkpoint.cursor() == null ? NullNode.getInstance() : checkpoint.cursor());
                    saved.put("items_processed", checkpoint.itemsProcessed());
                    if (checkpoint.accumulatedResults() != null && !checkpoint.accumulatedResults().isNull()) {
                        saved.set("accumulated_results", checkpoint.accumulatedResults());
                    }
                }
                case StepOutcome.Failure failure -> {
                    outcome.set("error", errorDocument(failure, step, decided.retryIn()));
                    if (decided.retryIn() != null) {
                        outcome.put("retry_in_ms", decided.retryIn().toNanos() / 1e6);
                    }
                }
            }
            outcome.put("state", step.outcome() instanceof StepOutcome.Checkpoint ? "checkpoint"
                    : decided.target().dbValue());
        }
        return Json.write(outcomes);
    }

    /**
     * The lines of {@link TaskLog} for a committed cycle: each failure and the retry it scheduled,
     * and each task it finished, once (every step recorded with the task's last ones says so).
     */
    private void log(String workerId, List<Decided> decided, List<RecordResult> recorded) {
        if (!taskLog.enabled()) {
            return;
        }
        Set<UUID> finishedTasks = null;
        for (int i = 0; i < decided.size(); i++) {
            RecordResult result = recorded.get(i);
            if (!result.recorded()) {
                continue;
            }
            FinishedStep step = decided.get(i).step();
            if (step.outcome() instanceof StepOutcome.Checkpoint checkpoint) {
                taskLog.checkpointSaved(workerId, step, checkpoint, result.stepState());
            }
            if (step.outcome() instanceof StepOutcome.Failure failure) {
                TaskLog.Retry retry = decided.get(i).retryIn() == null ? null : taskLog.retry(decided.get(i).retryIn());
                taskLog.stepFailed(workerId, step, failure, retry);
                if (retry != null) {
                    taskLog.retryScheduled(workerId, step, retry);
                }
            }
            if (result.finishedTask() != null) {
                if (finishedTasks == null) {
                    finishedTasks = new HashSet<>();
                }
                if (finishedTasks.add(step.taskId())) {
                    taskLog.taskFinished(workerId, step, result.finishedTask());
                }
            }
        }
    }

    /**
     * A result, metadata or checkpoint the database could not store (a NUL character, a number
     * beyond numeric's range, more than {@link JsonLimits#MAX_DOCUMENT_BYTES}) fails its step,
     * saying where; a retry would produce the same.
     */
    private static FinishedStep storable(FinishedStep step) {
        List<JsonLimits.Problem> problems = new ArrayList<>();
        String what;
        switch (step.outcome()) {
            case StepOutcome.Success success -> {
                what = "result";
                problems.addAll(JsonLimits.problems(success.result(), "$.result"));
                if (success.metadata() != null) {
                    problems.addAll(JsonLimits.problems(success.metadata(), "$.metadata"));
                }
            }
            case StepOutcome.Checkpoint checkpoint -> {
                what = "checkpoint";
                if (checkpoint.cursor() != null) {
                    problems.addAll(JsonLimits.problems(checkpoint.cursor(), "$.cursor"));
                }
                if (checkpoint.accumulatedResults() != null) {
                    problems.addAll(JsonLimits.problems(checkpoint.accumulatedResults(), "$.accumulated_results"));
                }
            }
            case StepOutcome.Failure failure -> {
                return step;
            }
        }
        if (problems.isEmpty()) {
            return step;
        }
        return step.withOutcome(new StepOutcome.Failure("the step's " + what + " cannot be stored: "
                + problems.stream().map(JsonLimits.Problem::toString).collect(Collectors.joining("; ")),
                what.equals("result") ? "ResultNotStorable" : "CheckpointNotStorable", false, null, null));
    }

    private static ObjectNode errorDocument(StepOutcome.Failure failure, FinishedStep step, Duration retryIn) {
        ObjectNode error = Json.MAPPER.createObjectNode()
                .put("message", failure.message())
                .put("error_type", failure.errorType())
                .put("retryable", failure.retryable())
                .put("attempt", step.attempt())
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

    /** Whether the outcome itself was refused (not writable as JSON, or a value jsonb cannot hold). */
    private static boolean unstorable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(DATA_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
