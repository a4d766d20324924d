package io.tasker.orchestration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import io.tasker.orchestration.internal.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The INFO lines of {@link TaskLog} as recording and operator actions write them: once per event,
 * with the task and step in the MDC and the facts as key-value pairs; none for a success that ends
 * no task, none at all above INFO.
 */
class TaskLogTest extends EveryServerTest {
    private static final String NS = "billing";
    private static final String WORKER = "worker-7";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final Logger logger = (Logger) LoggerFactory.getLogger(TaskLog.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private ResultRecorder recorder;

    @BeforeEach
    void capture() {
        // No jitter: the first retry waits exactly half the base delay (TaskRows: 1000 ms).
        recorder = new ResultRecorder(dataSource, new Backoff(() -> 0.0), Clock.systemUTC());
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setLevel(null);
    }

    @Test
    void aFailureThatIsRetriedThenFailsForGoodLogsEachEventOnce() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID step = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();

        Instant before = Instant.now();
        recorder.record(WORKER, failure(claim(step), true));
        Instant after = Instant.now();
        retryNow(step);
        recorder.record(WORKER, failure(claim(step), false));

        List<ILoggingEvent> logged = linesOf(task);
        assertThat(logged).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
        assertThat(logged).extracting(line -> fields(line).get("event"))
                .containsExactly("step_failed", "retry_scheduled", "step_failed", "task_finished");
        String name = "step_" + step;
        String template = NS + "/template_" + task;

        ILoggingEvent failed = logged.get(0);
        assertThat(failed.getFormattedMessage()).matches(quote("step failed: " + name + " of task " + task + " ("
                + template + "), attempt 1/3: GatewayError: gateway down; retried at ") + "\\S+Z \\(in 0\\.500 s\\)");
        assertThat(fields(failed)).containsEntry("attempt", "1").containsEntry("max_attempts", "3")
                .containsEntry("error_type", "GatewayError").containsEntry("error_message", "gateway down")
                .containsEntry("retried", "true").containsEntry("retry_in_ms", "500");
        Instant retryAt = Instant.parse(fields(failed).get("retry_at"));
        assertThat(retryAt).isBetween(before.plusMillis(499), after.plusMillis(501));
        assertThat(failed.getMDCPropertyMap()).containsEntry("task_uuid", task.toString())
                .containsEntry("step_uuid", step.toString()).containsEntry("step_name", name)
                .containsEntry("worker_id", WORKER);

        ILoggingEvent retry = logged.get(1);
        assertThat(retry.getFormattedMessage()).isEqualTo("retry scheduled: " + name + " of task " + task + " ("
                + template + "), attempt 2/3 at " + retryAt + " (in 0.500 s)");
        assertThat(fields(retry)).containsEntry("retry_at", retryAt.toString()).containsEntry("attempt", "2");
        assertThat(retry.getMDCPropertyMap()).containsEntry("step_uuid", step.toString());

        ILoggingEvent failedForGood = logged.get(2);
        assertThat(failedForGood.getFormattedMessage()).isEqualTo("step failed: " + name + " of task " + task + " ("
                + template + "), attempt 2/3: GatewayError: gateway down; not retried: the error is permanent");
        assertThat(fields(failedForGood)).containsEntry("retried", "false").doesNotContainKey("retry_at");

        ILoggingEvent finished = logged.get(3);
        assertThat(finished.getFormattedMessage()).matches(quote("task finished: " + task + " (" + template
                + "): error after ") + "\\d+\\.\\d{3} s");
        assertThat(fields(finished)).containsEntry("task_state", "error").containsKey("duration_ms");
        assertThat(finished.getMDCPropertyMap()).containsEntry("task_uuid", task.toString());
    }

    @Test
    void stepsThatSucceedLogNothingButTheTaskThatFinishes() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        List<UUID> steps = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 2);
        List<ClaimedStep> claimed = StepQueue.claim(dataSource, WORKER, List.of(NS), 2, LEASE);
        assertThat(claimed).extracting(ClaimedStep::stepId).containsExactlyInAnyOrderElementsOf(steps);

        // Both in one cycle: each row recorded says the task finished; the log says it once.
        recorder.cycle(WORKER, claimed.stream().map(c -> FinishedStep.of(c,
                new StepOutcome.Success(Json.MAPPER.valueToTree(1), null))).toList(), EagerClaim.none(WORKER));

        assertThat(linesOf(task)).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith("task finished: " + task + " (" + NS + "/template_" + task + "): complete after ");
    }

    @Test
    void anOperatorActionIsLoggedWithWhoAndWhy() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID step = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();
        recorder.record(WORKER, failure(claim(step), false));
        lines.list.clear();

        new OperatorActions(dataSource).retryStep(task, step, "ops", "gateway fixed");
        new OperatorActions(dataSource).cancelTask(task, "ops", null);

        List<ILoggingEvent> logged = linesOf(task);
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "operator action: ops retried step step_" + step + " of task " + task + " (" + NS + "/template_"
                        + task + "), reason: gateway fixed; the task is in_progress",
                "operator action: ops cancelled task " + task + " (" + NS + "/template_" + task
                        + "); the task is cancelled",
                logged.get(2).getFormattedMessage());
        assertThat(logged.get(2).getFormattedMessage()).startsWith("task finished: " + task + " (" + NS
                + "/template_" + task + "): cancelled after ");
        assertThat(fields(logged.get(0))).containsEntry("actor", "ops").containsEntry("action", "retried")
                .containsEntry("reason", "gateway fixed");
        assertThat(logged.get(0).getMDCPropertyMap()).containsEntry("step_uuid", step.toString())
                .doesNotContainKey("worker_id");
    }

    @Test
    void aLeaseThatRanOutIsLoggedWithTheWorkerThatLostIt() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID step = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();
        claim(step);
        TaskRows.arrange(dataSource, "update tasker_steps set lease_until = now() - interval '1 second' where id = ?",
                step);

        Orchestrator.manual(dataSource, OrchestratorOptions.DEFAULTS).runOnce();

        ILoggingEvent expired = linesOf(task).stream().filter(line -> "lease_expired".equals(fields(line).get("event")))
                .collect(Collectors.collectingAndThen(Collectors.toList(), List::getFirst));
        assertThat(expired.getLevel()).isEqualTo(Level.INFO);
        assertThat(expired.getFormattedMessage()).isEqualTo("lease expired: step_" + step + " of task " + task + " ("
                + NS + "/template_" + task + "), attempt 1/3: worker " + WORKER
                + " stopped renewing its claim; the step runs again");
        assertThat(fields(expired)).containsEntry("attempt", "1").containsEntry("max_attempts", "3");
        assertThat(expired.getMDCPropertyMap()).containsEntry("step_uuid", step.toString())
                .containsEntry("worker_id", WORKER);
        assertThat(TaskRows.stepState(dataSource, step)).isEqualTo("enqueued");
    }

    @Test
    void aboveInfoNothingIsLogged() {
        logger.setLevel(Level.WARN);
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID step = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();

        recorder.record(WORKER, failure(claim(step), false));

        assertThat(TaskRows.taskState(dataSource, task)).isEqualTo("error");
        assertThat(linesOf(task)).isEmpty();
    }

    @Test
    void aSavedCheckpointLogsWhereTheStepIsAndWhereItGoes() {
        UUID task = TaskRows.task(dataSource, NS, TaskState.IN_PROGRESS);
        UUID step = TaskRows.steps(dataSource, task, NS, StepState.ENQUEUED, 1).getFirst();

        StepOutcome.Checkpoint checkpoint = new StepOutcome.Checkpoint(Json.parse("300"), 300,
                Json.parse("{\"sum\": 1}"));
        CycleResult kept = recorder.cycle(WORKER, List.of(FinishedStep.of(claim(step), checkpoint)),
                new EagerClaim(WORKER, List.of(NS), 1, LEASE));
        // Stopping: no slot to run it on, so it goes to the queue.
        recorder.record(WORKER, FinishedStep.of(kept.claimed().getFirst(), checkpoint));

        List<ILoggingEvent> logged = linesOf(task);
        String saved = "checkpoint saved: step_" + step + " of task " + task + " (" + NS + "/template_" + task
                + "), attempt 1/3: cursor 300, 300 items processed; ";
        assertThat(logged).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                saved + "it runs on from there", saved + "back to the queue, to run on from there");
        assertThat(fields(logged.getFirst())).containsEntry("event", "checkpoint_saved").containsEntry("cursor", "300")
                .containsEntry("items_processed", "300").containsEntry("attempt", "1");
    }

    private ClaimedStep claim(UUID expected) {
        List<ClaimedStep> claimed = StepQueue.claim(dataSource, WORKER, List.of(NS), 1, LEASE);
        assertThat(claimed).extracting(ClaimedStep::stepId).containsExactly(expected);
        return claimed.getFirst();
    }

    private static FinishedStep failure(ClaimedStep step, boolean retryable) {
        return FinishedStep.of(step, new StepOutcome.Failure("gateway down", "GatewayError", retryable, null, null));
    }

    private void retryNow(UUID step) {
        TaskRows.arrange(dataSource, "update tasker_steps set next_attempt_at = now() where id = ?", step);
        assertThat(StepQueue.enqueueDueRetries(dataSource, 10)).isEqualTo(1);
    }

    private List<ILoggingEvent> linesOf(UUID task) {
        return lines.list.stream().filter(line -> task.toString().equals(line.getMDCPropertyMap().get("task_uuid")))
                .toList();
    }

    private static Map<String, String> fields(ILoggingEvent line) {
        List<KeyValuePair> pairs = line.getKeyValuePairs() == null ? List.of() : line.getKeyValuePairs();
        return pairs.stream().filter(pair -> pair.value != null)
                .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value)));
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
