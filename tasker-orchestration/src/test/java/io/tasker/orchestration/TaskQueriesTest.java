package io.tasker.orchestration;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StateTransitions;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.tasker.orchestration.TaskCreatorTest.created;
import static io.tasker.orchestration.TaskCreatorTest.json;
import static io.tasker.orchestration.TaskCreatorTest.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class TaskQueriesTest extends EveryServerTest {
    private TaskCreator creator;
    private TaskQueries queries;

    @BeforeEach
    void registerFanIn() {
        TemplateRegistry registry = new TemplateRegistry(dataSource);
        registry.register(template(TaskCreatorTest.FAN_IN), null);
        creator = new TaskCreator(dataSource, registry);
        queries = new TaskQueries(dataSource);
    }

    @Test
    void findReturnsTheStepsInTemplateOrderWithTheirDependencies() {
        UUID id = create(2).id();

        TaskView task = queries.find(id).orElseThrow();

        assertThat(task.id()).isEqualTo(id);
        assertThat(task.context()).isEqualTo(json("{\"even_number\": 2, \"label\": \"x\"}"));
        assertThat(task.steps()).extracting(StepView::name, StepView::handlerCallable, StepView::dependsOn,
                        StepView::maxAttempts)
                .containsExactly(
                        tuple("fetch_b", "io.tasker.test.Fetch", List.of(), 1),
                        tuple("fetch_a", "io.tasker.test.Fetch", List.of(), 3),
                        tuple("merge", "io.tasker.test.Merge", List.of("fetch_b", "fetch_a"), 3),
                        tuple("publish", "io.tasker.test.Publish", List.of("merge"), 3));
        assertThat(task.steps()).allSatisfy(step -> {
            assertThat(step.results()).isNull();
            assertThat(step.lastError()).isNull();
            assertThat(step.createdAt()).isNotNull();
        });
        assertThat(queries.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void listShowsTheNewestTasksFirstFilteredAndPagedWithoutSteps() {
        UUID first = create(2).id();
        UUID second = create(4).id();
        UUID third = create(6).id();
        Jdbc.inTransaction(dataSource, c -> StateTransitions.transitionTask(c, second,
                TaskState.IN_PROGRESS, TaskState.CANCELLED, null));

        Page<TaskSummary> page = queries.list(TaskFilter.ALL, 2, null);
        assertThat(page.items()).extracting(s -> s.task().id()).containsExactly(third, second);
        assertThat(queries.list(TaskFilter.ALL, 2, page.next()).items()).extracting(s -> s.task().id())
                .containsExactly(first);
        assertThat(queries.list(TaskFilter.ALL, 2, page.next()).next()).isNull();
        assertThat(queries.list(states(TaskState.IN_PROGRESS), 10, null).items()).extracting(s -> s.task().id())
                .containsExactly(third, first);
        assertThat(queries.list(states(TaskState.CANCELLED), 10, null).items()).singleElement()
                .satisfies(summary -> {
                    assertThat(summary.task().id()).isEqualTo(second);
                    assertThat(summary.task().completedAt()).isNotNull();
                    assertThat(summary.task().steps()).isEmpty();
                    assertThat(summary.stepCounts()).isNotEmpty();
                    assertThat(summary.lastError()).isNull();
                });
        assertThat(queries.list(states(TaskState.ERROR), 10, null).items()).isEmpty();
        String prefix = third.toString().substring(0, 30);
        assertThat(queries.list(new TaskFilter(null, null, List.of(), null, null, null, null, prefix), 10, null)
                .items()).extracting(s -> s.task().id()).contains(third).doesNotContain(first);
    }

    @Test
    void aPageStaysTheSameWhenNewerTasksArrive() {
        for (int i = 0; i < 5; i++) {
            create(100 + 2 * i);
        }
        Page<TaskSummary> first = queries.list(TaskFilter.ALL, 3, null);
        Page<TaskSummary> second = queries.list(TaskFilter.ALL, 3, first.next());

        create(200);
        create(202);

        assertThat(queries.list(TaskFilter.ALL, 3, first.next()).items()).isEqualTo(second.items());
    }

    private static TaskFilter states(TaskState... states) {
        return new TaskFilter(null, null, List.of(states), null, null, null, null, null);
    }

    @Test
    void historyUnfoldsEveryStateChangeWithItsWorkerAndAttempt() {
        TaskView task = create(2);
        ResultRecorder recorder = new ResultRecorder(dataSource);
        Duration lease = Duration.ofMinutes(1);
        // fetch_b fails and is retried at once, by another worker; fetch_a completes; the worker that
        // completes fetch_b runs merge at once; merge's completion leaves publish in the queue.
        List<ClaimedStep> roots = StepQueue.claim(dataSource, "w1", List.of("shipping"), 2, lease);
        ClaimedStep fetchB = roots.stream().filter(s -> s.stepName().equals("fetch_b")).findFirst().orElseThrow();
        ClaimedStep fetchA = roots.stream().filter(s -> s.stepName().equals("fetch_a")).findFirst().orElseThrow();
        TaskRows.arrange(dataSource, "update tasker_steps set max_attempts = 3, retryable = true where id = ?",
                fetchB.stepId());
        recorder.record("w1", new FinishedStep(fetchB.stepId(), fetchB.stepName(), fetchB.taskId(), fetchB.namespace(),
                fetchB.taskName(), 1, 3, true, 0, 0, new StepOutcome.Failure("busy", "Busy", true, Duration.ZERO, null)));
        recorder.record("w1", FinishedStep.of(fetchA, new StepOutcome.Success(json("1"), json("{\"cache\": \"hit\"}"))));
        ClaimedStep again = StepQueue.claim(dataSource, "w2", List.of("shipping"), 1, lease).getFirst();
        ClaimedStep merge = recorder.cycle("w2", List.of(FinishedStep.of(again, new StepOutcome.Success(json("2"), null))),
                new EagerClaim("w2", List.of("shipping"), 1, lease)).claimed().getFirst();
        recorder.record("w2", FinishedStep.of(merge, new StepOutcome.Success(json("3"), null)));

        List<TransitionView> history = queries.history(task.id());

        assertThat(history.getFirst()).extracting(TransitionView::subject, TransitionView::toState)
                .containsExactly("task", "in_progress");
        assertThat(history).extracting(TransitionView::at).isSorted();
        assertThat(of(history, "fetch_b")).extracting(TransitionView::fromState, TransitionView::toState,
                        t -> text(t, "worker"), t -> text(t, "attempt"), t -> text(t, "reason"))
                .containsExactly(
                        tuple(null, "enqueued", null, null, null),
                        tuple("enqueued", "in_progress", "w1", "1", null),
                        tuple("in_progress", "enqueued", "w1", "1", "retry"),
                        tuple("enqueued", "in_progress", "w2", "2", null),
                        tuple("in_progress", "complete", "w2", "2", null));
        assertThat(of(history, "fetch_b").get(2).metadata().path("error").path("message").asText()).isEqualTo("busy");
        assertThat(json(of(history, "fetch_a").getLast().metadata().toString()))
                .isEqualTo(json("{\"worker\": \"w1\", \"attempt\": 1, \"metadata\": {\"cache\": \"hit\"}}"));
        assertThat(of(history, "merge")).extracting(TransitionView::fromState, TransitionView::toState)
                .containsExactly(tuple(null, "pending"), tuple("pending", "enqueued"), tuple("enqueued", "in_progress"),
                        tuple("in_progress", "complete"));
        assertThat(of(history, "publish")).extracting(TransitionView::fromState, TransitionView::toState)
                .containsExactly(tuple(null, "pending"), tuple("pending", "enqueued"));
        assertThat(history).allSatisfy(entry -> assertThat(entry.at()).isNotNull());
        assertThat(queries.history(UUID.randomUUID())).isEmpty();
    }

    @Test
    void historyEndsWithTheTasksConclusionAndAFailedStepsError() {
        TaskView task = create(2);
        ResultRecorder recorder = new ResultRecorder(dataSource);
        ClaimedStep fetchB = StepQueue.claim(dataSource, "w1", List.of("shipping"), 2, Duration.ofMinutes(1)).stream()
                .filter(s -> s.stepName().equals("fetch_b")).findFirst().orElseThrow();
        recorder.record("w1", FinishedStep.of(fetchB, new StepOutcome.Failure("gone", "Gone", false, null, null)));
        Jdbc.inTransaction(dataSource, c -> StateTransitions.transitionTask(c, task.id(), TaskState.IN_PROGRESS,
                TaskState.CANCELLED, "{\"by\": \"test\"}"));

        List<TransitionView> history = queries.history(task.id());

        assertThat(of(history, "fetch_b").getLast()).extracting(TransitionView::fromState, TransitionView::toState)
                .containsExactly("in_progress", "error");
        assertThat(of(history, "fetch_b").getLast().metadata().path("error").path("message").asText()).isEqualTo("gone");
        assertThat(history.getLast()).extracting(TransitionView::subject, TransitionView::fromState,
                TransitionView::toState, TransitionView::metadata)
                .containsExactly("task", "in_progress", "cancelled", json("{\"by\": \"test\"}"));
    }

    private static List<TransitionView> of(List<TransitionView> history, String subject) {
        return history.stream().filter(t -> t.subject().equals(subject)).toList();
    }

    private static String text(TransitionView transition, String field) {
        return transition.metadata() == null || !transition.metadata().has(field) ? null
                : transition.metadata().get(field).asText();
    }

    private TaskView create(int evenNumber) {
        return TaskCreatorTest.created(creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"even_number\": %d, \"label\": \"x\"}".formatted(evenNumber)))));
    }
}
