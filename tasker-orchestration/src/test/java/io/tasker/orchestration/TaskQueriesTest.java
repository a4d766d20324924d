package io.tasker.orchestration;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StateTransitions;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
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
    void recentListsTheNewestTasksFirstWithoutSteps() {
        UUID first = create(2).id();
        UUID second = create(4).id();
        UUID third = create(6).id();
        Jdbc.inTransaction(dataSource, c -> StateTransitions.transitionTask(c, second,
                TaskState.IN_PROGRESS, TaskState.CANCELLED, null));

        assertThat(queries.recent(2, null)).extracting(TaskView::id).containsExactly(third, second);
        assertThat(queries.recent(10, TaskState.IN_PROGRESS)).extracting(TaskView::id).containsExactly(third, first);
        assertThat(queries.recent(10, TaskState.CANCELLED)).singleElement()
                .satisfies(task -> {
                    assertThat(task.id()).isEqualTo(second);
                    assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
                    assertThat(task.completedAt()).isNotNull();
                    assertThat(task.steps()).isEmpty();
                });
        assertThat(queries.recent(10, TaskState.ERROR)).isEmpty();
        assertThat(queries.recent(0, null)).isEmpty();
    }

    @Test
    void historyMergesTaskAndStepTransitionsInTheOrderTheyHappened() {
        TaskView task = create(2);
        UUID fetchB = task.steps().getFirst().id();
        ClaimedStep claimed = StepQueue.claim(dataSource, "w1", List.of("shipping"), 1, Duration.ofMinutes(1))
                .getFirst();
        // One transaction that ends the task first and its step second, as a finalizer never would:
        // the history still shows the task concluding after its step.
        Jdbc.inTransaction(dataSource, c -> {
            StateTransitions.transitionTask(c, task.id(), TaskState.IN_PROGRESS, TaskState.CANCELLED, "{\"by\": \"test\"}");
            return StateTransitions.transitionStep(c, claimed.stepId(), StepState.IN_PROGRESS, StepState.CANCELLED, null);
        });

        List<TransitionView> history = queries.history(task.id());

        assertThat(claimed.stepId()).isEqualTo(fetchB);
        assertThat(history).hasSize(11);
        assertThat(history.subList(0, 6)).extracting(TransitionView::subject, TransitionView::fromState,
                        TransitionView::toState)
                .containsExactly(
                        tuple("task", null, "pending"),
                        tuple("task", "pending", "in_progress"),
                        tuple("fetch_b", null, "pending"),
                        tuple("fetch_a", null, "pending"),
                        tuple("merge", null, "pending"),
                        tuple("publish", null, "pending"));
        assertThat(history.subList(6, 8)).extracting(TransitionView::subject, TransitionView::toState)
                .containsExactlyInAnyOrder(tuple("fetch_b", "enqueued"), tuple("fetch_a", "enqueued"));
        assertThat(history.subList(8, 11)).extracting(TransitionView::subject, TransitionView::fromState,
                        TransitionView::toState)
                .containsExactly(
                        tuple("fetch_b", "enqueued", "in_progress"),
                        tuple("fetch_b", "in_progress", "cancelled"),
                        tuple("task", "in_progress", "cancelled"));
        assertThat(history.get(8).metadata()).isEqualTo(json("{\"claimed_by\": \"w1\"}"));
        assertThat(history.getLast().metadata()).isEqualTo(json("{\"by\": \"test\"}"));
        assertThat(history).allSatisfy(entry -> assertThat(entry.at()).isNotNull());
        assertThat(queries.history(UUID.randomUUID())).isEmpty();
    }

    private TaskView create(int evenNumber) {
        return created(creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"even_number\": %d, \"label\": \"x\"}".formatted(evenNumber)))));
    }
}
