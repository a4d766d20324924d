package io.tasker.worker;

import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Java decision handlers run by a worker: their choice creates the steps, and the task ends as it should. */
class DecisionHandlersTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    /** Chooses the steps the task's context lists under {@code choose}: none, one or several. */
    public static final class Choose implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            List<String> chosen = new ArrayList<>();
            context.taskContext().path("choose").forEach(name -> chosen.add(name.asText()));
            return chosen.isEmpty() ? StepHandlerResult.noBranches(Map.of("chose", "nothing"))
                    : StepHandlerResult.decision(chosen, Map.of("chose", chosen.size()));
        }
    }

    /** Reports its name. */
    public static final class Branch implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            return StepHandlerResult.success(Map.of("ran", context.stepName()));
        }
    }

    /** Lists, in order, the steps whose results it was given, and what the decision chose. */
    public static final class Join implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            return StepHandlerResult.success(Map.of(
                    "ran", context.dependencyResults().keySet().stream().sorted().toList(),
                    "outcome", context.dependencyResult("decide").get("decision_point_outcome")));
        }
    }

    private static String template(String ns) {
        return fixture.register("""
                namespace: %1$s
                name: choose
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - name: decide
                    type: decision
                    handler: {callable: %2$s}
                  - name: left
                    handler: {callable: %3$s}
                    depends_on: [decide]
                  - name: right
                    handler: {callable: %3$s}
                    depends_on: [decide]
                  - name: join
                    type: deferred_convergence
                    handler: {callable: %4$s}
                    depends_on: [left, right]
                """, ns, Choose.class.getName(), Branch.class.getName(), Join.class.getName()).name();
    }

    @Test
    void aJavaDecisionCreatesTheStepsItChoosesNoneOneOrSeveral() {
        String ns = newNamespace();
        String name = template(ns);
        fixture.start(config(ns), new StepHandlerRegistry().register(Choose.class).register(Branch.class)
                .register(Join.class));

        UUID none = fixture.createTask(ns, name, "{\"choose\": []}");
        UUID one = fixture.createTask(ns, name, "{\"choose\": [\"right\"]}");
        UUID both = fixture.createTask(ns, name, "{\"choose\": [\"left\", \"right\"]}");
        for (UUID task : List.of(none, one, both)) {
            fixture.awaitTaskState(task, "complete");
        }

        assertThat(fixture.steps(none).keySet()).containsExactly("decide", "join");
        assertThat(fixture.step(none, "decide").results().toString())
                .isEqualTo("{\"chose\":\"nothing\",\"decision_point_outcome\":{\"type\":\"no_branches\"}}");
        assertThat(fixture.step(none, "join").results().path("ran").toString()).isEqualTo("[\"decide\"]");

        assertThat(fixture.steps(one).keySet()).containsExactly("decide", "join", "right");
        assertThat(fixture.step(one, "join").results().toString()).isEqualTo("{\"ran\":[\"decide\",\"right\"],"
                + "\"outcome\":{\"type\":\"create_steps\",\"step_names\":[\"right\"]}}");

        assertThat(fixture.steps(both).keySet()).containsExactly("decide", "join", "left", "right");
        assertThat(fixture.step(both, "join").results().path("ran").toString())
                .isEqualTo("[\"decide\",\"left\",\"right\"]");
    }

    @Test
    void aJavaDecisionNamingAStepItDoesNotDeclareFailsTheTask() {
        String ns = newNamespace();
        String name = template(ns);
        fixture.start(config(ns), new StepHandlerRegistry().register(Choose.class).register(Branch.class)
                .register(Join.class));

        UUID task = fixture.createTask(ns, name, "{\"choose\": [\"middle\"]}");
        fixture.awaitTaskState(task, "error");
        WorkerFixture.StepRow decide = fixture.step(task, "decide");
        assertThat(decide.state()).isEqualTo("error");
        assertThat(decide.attempts()).isEqualTo(1);
        assertThat(decide.lastError().path("message").asText()).isEqualTo("decision step 'decide' chose 'middle', "
                + "which its template does not declare; it may choose left, right");
        assertThat(fixture.steps(task).keySet()).containsExactly("decide");
    }

    @Test
    void aDecisionsResultMustBeAnObjectToHoldItsOutcome() {
        assertThatThrownBy(() -> StepHandlerResult.decision(List.of("left"), 42))
                .hasMessage("a decision's result must be a JSON object (a Map or a record), to hold "
                        + "decision_point_outcome beside its fields; got NUMBER");
        assertThat(StepHandlerResult.decision(List.of("left", "right")).storedResult().toString())
                .isEqualTo("{\"decision_point_outcome\":{\"type\":\"create_steps\",\"step_names\":[\"left\",\"right\"]}}");
    }
}
