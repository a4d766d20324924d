package io.tasker.orchestration;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.WorkerRoster;
import io.tasker.core.queue.WorkerRoster.Advert;
import io.tasker.core.state.StepState;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tasker.orchestration.TaskCreatorTest.json;
import static io.tasker.orchestration.TaskCreatorTest.template;
import static org.assertj.core.api.Assertions.assertThat;

class UnservedStepsTest extends EveryServerTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final List<String> EVERY_CALLABLE = List.of("io.tasker.test.Fetch", "io.tasker.test.Merge",
            "io.tasker.test.Publish");

    private TaskView task;

    @BeforeEach
    void createFanIn() {
        TemplateRegistry registry = new TemplateRegistry(dataSource);
        registry.register(template(TaskCreatorTest.FAN_IN), null);
        task = TaskCreatorTest.created(new TaskCreator(dataSource, registry).create(TaskRequest.of("shipping",
                "fan_in", json("{\"even_number\": 2, \"label\": \"x\"}"))));
    }

    private UnservedSteps uncached() {
        return new UnservedSteps(dataSource, Duration.ZERO);
    }

    private void join(String workerId, String namespace, List<String> callables) {
        WorkerRoster.join(dataSource, new Advert(workerId, List.of(namespace), callables, LEASE));
    }

    @Test
    void withNoLiveWorkerEveryWaitingStepIsUnservedInTemplateOrder() {
        Map<UUID, String> notes = uncached().of(task);

        assertThat(notes.values()).containsExactly("no live worker runs `io.tasker.test.Fetch`",
                "no live worker runs `io.tasker.test.Fetch`", "no live worker runs `io.tasker.test.Merge`",
                "no live worker runs `io.tasker.test.Publish`");
        assertThat(UnservedSteps.warnings(task, notes)).containsExactly(
                "no live worker runs `io.tasker.test.Fetch` (step fetch_b)",
                "no live worker runs `io.tasker.test.Fetch` (step fetch_a)",
                "no live worker runs `io.tasker.test.Merge` (step merge)",
                "no live worker runs `io.tasker.test.Publish` (step publish)");
    }

    @Test
    void onlyTheStepsWhoseCallableNoWorkerOfTheNamespaceRunsAreUnserved() {
        join("fetcher", "shipping", List.of("io.tasker.test.Fetch"));
        join("elsewhere", "billing", EVERY_CALLABLE);

        Map<UUID, String> notes = uncached().of(task);

        assertThat(UnservedSteps.warnings(task, notes)).containsExactly(
                "no live worker runs `io.tasker.test.Merge` (step merge)",
                "no live worker runs `io.tasker.test.Publish` (step publish)");
    }

    @Test
    void aServedTaskHasNoNote() {
        join("w1", "shipping", List.of("io.tasker.test.Fetch", "io.tasker.test.Merge"));
        join("w2", "shipping", List.of("io.tasker.test.Publish"));

        assertThat(uncached().of(task)).isEmpty();
    }

    @Test
    void aWorkerThatRunsEveryCallableOfItsNamespaceServesEveryStep() {
        WorkerRoster.join(dataSource, new Advert("any", List.of("shipping"), null, LEASE));

        assertThat(uncached().of(task)).isEmpty();
    }

    @Test
    void aWorkerWhoseHeartbeatIsStaleServesNothing() {
        join("w1", "shipping", EVERY_CALLABLE);
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c,
                "update tasker_workers set last_heartbeat = now() - interval '91 seconds'"));

        assertThat(uncached().of(task)).hasSize(4);
    }

    @Test
    void aStepThatDoesNotWaitHasNoNote() {
        List<StepView> steps = task.steps().stream()
                .map(step -> switch (step.name()) {
                    case "fetch_b" -> withState(step, StepState.COMPLETE);
                    case "fetch_a" -> withState(step, StepState.IN_PROGRESS);
                    case "merge" -> withState(step, StepState.ERROR);
                    default -> withState(step, StepState.WAITING_FOR_RETRY);
                })
                .toList();
        TaskView later = new TaskView(task.id(), task.namespace(), task.name(), task.version(), task.state(),
                task.context(), task.initiator(), task.sourceSystem(), task.reason(), task.tags(), task.priority(),
                task.correlationId(), task.createdAt(), task.updatedAt(), task.completedAt(), steps);

        assertThat(UnservedSteps.warnings(later, uncached().of(later)))
                .containsExactly("no live worker runs `io.tasker.test.Publish` (step publish)");
    }

    @Test
    void aWorkerThatJustStartedIsSeenAtOnceAndOneThatLeftWithinTheMaximumAge() {
        UnservedSteps cached = new UnservedSteps(dataSource, Duration.ofHours(1));
        assertThat(cached.of(task)).hasSize(4);

        join("w1", "shipping", EVERY_CALLABLE);
        assertThat(cached.of(task)).as("an unserved step is checked against a fresh read").isEmpty();

        WorkerRoster.leave(dataSource, "w1");
        assertThat(cached.of(task)).as("served, as read less than an hour ago").isEmpty();
        assertThat(uncached().of(task)).hasSize(4);
    }

    private static StepView withState(StepView step, StepState state) {
        return new StepView(step.id(), step.name(), step.handlerCallable(), step.type(), step.createdBy(), state, step.dependsOn(), step.attempts(),
                step.maxAttempts(), step.results(), step.lastError(), step.nextAttemptAt(), step.createdAt(),
                step.updatedAt(), step.completedAt(), step.batch(), step.checkpoint());
    }
}
