package io.tasker.orchestration;

import io.tasker.core.Ids;
import io.tasker.core.LogContext;
import io.tasker.core.queue.ExpiredLease;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * The INFO lines that tell what happened to tasks: one per step failure, retry scheduled, lease
 * expired (the step runs again), batch checkpoint saved, task finished and operator action, written once the change is committed. Each names its task and
 * step in the MDC ({@link LogContext}) and carries its facts as key-value pairs too, which JSON
 * log lines show as fields ({@code event}, {@code attempt}, {@code retry_at}, {@code duration_ms},
 * ...).
 *
 * <p>A step that succeeds logs nothing, and callers ask {@link #enabled()} before collecting
 * anything, so with this logger ({@code io.tasker.orchestration.TaskLog}) above INFO the step path
 * pays one level check per cycle.
 *
 * <p>A task's duration is measured from the time in its id (a UUID v7 made when it was created,
 * see {@link Ids#timeOf}), so logging it costs no query.
 */
final class TaskLog {
    private static final Logger log = LoggerFactory.getLogger(TaskLog.class);
    /** Long enough for any real message, short enough that one line stays one screen. */
    private static final int MAX_MESSAGE = 500;

    private final Clock clock;

    TaskLog(Clock clock) {
        this.clock = clock;
    }

    boolean enabled() {
        return log.isInfoEnabled();
    }

    /**
     * A failure the recording committed; {@code retry} is null when the step is not retried.
     */
    void stepFailed(String workerId, FinishedStep step, StepOutcome.Failure failure, Retry retry) {
        String whether;
        if (retry != null) {
            whether = "retried " + retry;
        } else if (!failure.retryable()) {
            whether = "not retried: the error is permanent";
        } else if (!step.retryable()) {
            whether = "not retried: its template does not retry it";
        } else {
            whether = "not retried: all " + step.maxAttempts() + " attempts used";
        }
        try (LogContext ignored = stepContext(step, workerId)) {
            LoggingEventBuilder line = stepEvent("step_failed", step, step.attempt())
                    .addKeyValue("error_type", failure.errorType())
                    .addKeyValue("error_message", oneLine(failure.message()))
                    .addKeyValue("retried", retry != null);
            retryFields(line, retry).log("step failed: {}, attempt {}/{}: {}: {}; {}", stepText(step),
                    step.attempt(), step.maxAttempts(), failure.errorType(), oneLine(failure.message()), whether);
        }
    }

    /** The step's next attempt. */
    void retryScheduled(String workerId, FinishedStep step, Retry retry) {
        try (LogContext ignored = stepContext(step, workerId)) {
            retryFields(stepEvent("retry_scheduled", step, step.attempt() + 1), retry).log("retry scheduled: {}, attempt {}/{} {}",
                    stepText(step), step.attempt() + 1, step.maxAttempts(), retry);
        }
    }

    /**
     * A batch worker saved its progress; {@code state} says where the step went: {@code in_progress}
     * (run again by the same worker at once) or {@code enqueued} (the worker is stopping).
     */
    void checkpointSaved(String workerId, FinishedStep step, StepOutcome.Checkpoint checkpoint, StepState state) {
        try (LogContext ignored = stepContext(step, workerId)) {
            stepEvent("checkpoint_saved", step, step.attempt())
                    .addKeyValue("cursor", String.valueOf(checkpoint.cursor()))
                    .addKeyValue("items_processed", checkpoint.itemsProcessed())
                    .log("checkpoint saved: {}, attempt {}/{}: cursor {}, {} items processed; {}", stepText(step),
                            step.attempt(), step.maxAttempts(), oneLine(String.valueOf(checkpoint.cursor())),
                            checkpoint.itemsProcessed(), state == StepState.IN_PROGRESS ? "it runs on from there"
                                    : "back to the queue, to run on from there");
        }
    }

    /** A step whose worker stopped renewing its claim went back to the queue; the attempt stays counted. */
    void leaseExpired(ExpiredLease step) {
        try (LogContext ignored = LogContext.step(step.taskId(), step.stepId(), step.stepName(), step.claimedBy())) {
            log.atInfo().addKeyValue("event", "lease_expired").addKeyValue("namespace", step.namespace())
                    .addKeyValue("task_name", step.taskName()).addKeyValue("attempt", step.attempt())
                    .addKeyValue("max_attempts", step.maxAttempts())
                    .log("lease expired: {} of task {} ({}/{}), attempt {}/{}: worker {} stopped renewing its claim; "
                                    + "the step runs again", step.stepName(), step.taskId(), step.namespace(),
                            step.taskName(), step.attempt(), step.maxAttempts(), step.claimedBy());
        }
    }

    /** A retry {@code delay} from now, as both lines of one failure tell it. */
    Retry retry(Duration delay) {
        return new Retry(delay, clock.instant().plus(delay).truncatedTo(ChronoUnit.MILLIS));
    }

    /** When a failed step runs again: {@code delay} after the failure was recorded, at {@code at}. */
    record Retry(Duration delay, Instant at) {
        /** "at 2025-05-01T12:00:03.512Z (in 0.500 s)", or "now". */
        @Override
        public String toString() {
            return delay.isZero() ? "now" : "at " + at + " (in " + duration(delay) + ")";
        }
    }

    /** Recording {@code lastStep} finished its task in {@code state}. */
    void taskFinished(String workerId, FinishedStep lastStep, TaskState state) {
        try (LogContext ignored = stepContext(lastStep, workerId)) {
            taskFinished(lastStep.taskId(), template(lastStep), state);
        }
    }

    /**
     * An operator's action on {@code task} (as it is after the action), or on one of its steps
     * ({@code stepId} null for the task as a whole); a task the action finished is logged finished.
     */
    void operatorAction(String actor, String action, TaskView task, UUID stepId, String reason) {
        String stepName = stepId == null ? null : task.steps().stream().filter(step -> step.id().equals(stepId))
                .map(StepView::name).findFirst().orElse(stepId.toString());
        String template = task.namespace() + "/" + task.name();
        try (LogContext ignored = LogContext.step(task.id(), stepId, stepName, null)) {
            log.atInfo().addKeyValue("event", "operator_action").addKeyValue("action", action)
                    .addKeyValue("actor", actor).addKeyValue("reason", reason)
                    .addKeyValue("namespace", task.namespace()).addKeyValue("task_name", task.name())
                    .addKeyValue("task_state", task.state().dbValue())
                    .log("operator action: {} {} {}task {} ({}){}; the task is {}", actor, action,
                            stepName == null ? "" : "step " + stepName + " of ", task.id(), template,
                            reason == null || reason.isBlank() ? "" : ", reason: " + oneLine(reason),
                            task.state().dbValue());
            if (finished(task.state())) {
                taskFinished(task.id(), template, task.state());
            }
        }
    }

    private void taskFinished(UUID taskId, String template, TaskState state) {
        LoggingEventBuilder line = log.atInfo().addKeyValue("event", "task_finished")
                .addKeyValue("task_state", state.dbValue());
        String duration = Ids.timeOf(taskId).map(created -> {
            Duration took = Duration.between(created, clock.instant());
            line.addKeyValue("duration_ms", Math.max(0, took.toMillis()));
            return " after " + duration(took);
        }).orElse("");
        line.log("task finished: {}{}: {}{}", taskId, template == null ? "" : " (" + template + ")", state.dbValue(),
                duration);
    }

    private static boolean finished(TaskState state) {
        return state == TaskState.COMPLETE || state == TaskState.ERROR || state == TaskState.CANCELLED
                || state == TaskState.RESOLVED_MANUALLY;
    }

    private static LogContext stepContext(FinishedStep step, String workerId) {
        return LogContext.step(step.taskId(), step.stepId(), step.stepName(), workerId);
    }

    /** The fields of a line about {@code step} and one of its attempts. */
    private static LoggingEventBuilder stepEvent(String event, FinishedStep step, int attempt) {
        return log.atInfo().addKeyValue("event", event).addKeyValue("namespace", step.namespace())
                .addKeyValue("task_name", step.taskName()).addKeyValue("attempt", attempt)
                .addKeyValue("max_attempts", step.maxAttempts());
    }

    private static LoggingEventBuilder retryFields(LoggingEventBuilder line, Retry retry) {
        if (retry != null) {
            line.addKeyValue("retry_at", retry.at().toString()).addKeyValue("retry_in_ms", retry.delay().toMillis());
        }
        return line;
    }

    private static String stepText(FinishedStep step) {
        String template = template(step);
        return (step.stepName() == null ? "step " + step.stepId() : step.stepName()) + " of task " + step.taskId()
                + (template == null ? "" : " (" + template + ")");
    }

    private static String template(FinishedStep step) {
        return step.namespace() == null || step.taskName() == null ? null : step.namespace() + "/" + step.taskName();
    }

    /** "2.415 s" under a minute, then "3 min 20 s", then "2 h 5 min". */
    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return seconds < 3600 ? seconds / 60 + " min " + seconds % 60 + " s"
                : seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    /** A message on one line, cut at {@link #MAX_MESSAGE} characters: one event, one line. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip().replaceAll("\\s*\\R\\s*", " | ");
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }
}
