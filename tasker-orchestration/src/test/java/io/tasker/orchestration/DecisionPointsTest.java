package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.tasker.orchestration.TaskCreatorTest.json;
import static io.tasker.orchestration.TaskCreatorTest.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Decision points and deferred convergence over PostgreSQL (docs/dynamic-workflows.md): which
 * steps a task starts with, which a decision creates, when a convergence step runs, and how the
 * task ends.
 */
class DecisionPointsTest extends EveryServerTest {
    private static final String NS = "approvals";
    private static final String WORKER = "worker-1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** The approval routing of tasker-core's guide, in Tasker's format. */
    static final String ROUTING = resource("/templates/decisions/approval_routing.yaml");

    /**
     * A branch with a follower, a nested decision, a step beside the decisions, and a convergence
     * step that waits for steps behind both decisions and for the one beside them.
     */
    static final String NESTED = """
            namespace: approvals
            name: nested
            version: 1.0.0
            steps:
              - name: start
                handler: {callable: test.Start}
              - name: audit
                handler: {callable: test.Audit}
              - name: first
                type: decision
                handler: {callable: test.First}
                depends_on: [start]
              - name: a
                handler: {callable: test.A}
                depends_on: [first]
              - name: a2
                handler: {callable: test.A2}
                depends_on: [a]
              - name: b
                handler: {callable: test.B}
                depends_on: [first]
              - name: second
                type: decision
                handler: {callable: test.Second}
                depends_on: [first]
              - name: x
                handler: {callable: test.X}
                depends_on: [second]
              - name: y
                handler: {callable: test.Y}
                depends_on: [second]
              - name: converge
                type: deferred_convergence
                handler: {callable: test.Converge}
                depends_on: [a2, b, x, y, audit]
            """;

    private TaskCreator creator;
    private TaskQueries queries;
    private ResultRecorder recorder;
    private StepDriver driver;

    @BeforeEach
    void registerTemplates() {
        TemplateRegistry registry = new TemplateRegistry(dataSource);
        registry.register(template(ROUTING), null);
        registry.register(template(NESTED), null);
        registry.register(template(TaskCreatorTest.FAN_IN), null);
        creator = new TaskCreator(dataSource, registry);
        queries = new TaskQueries(dataSource);
        recorder = new ResultRecorder(dataSource);
        driver = new StepDriver(dataSource, NS);
    }

    @Test
    void aTaskStartsWithTheStepsNoDecisionComesBefore() {
        UUID task = start("routing");
        assertThat(driver.view(task).steps())
                .extracting(StepView::name, StepView::type, StepView::state, StepView::createdBy)
                .containsExactly(tuple("validate_request", "standard", StepState.ENQUEUED, null),
                        tuple("routing_decision", "decision", StepState.PENDING, null));
        assertThat(hasPlan(task)).isTrue();

        UUID plain = ((CreateTaskResult.Created) creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"even_number\": 2, \"label\": \"x\"}")))).taskId();
        assertThat(hasPlan(plain)).isFalse();
        assertThat(driver.view(plain).steps()).extracting(StepView::type).containsOnly("standard");
    }

    @Test
    void aDecisionWithNoBranchesCreatesOnlyTheConvergenceStepReadyAtOnce() {
        UUID task = start("routing");
        driver.complete("validate_request", Map.of("valid", true));
        RecordResult decided = decide("routing_decision", List.of());
        assertThat(decided.stepState()).isEqualTo(StepState.COMPLETE);
        assertThat(decided.finishedTask()).isNull();

        StepView finalize = driver.step(task, "finalize_approval");
        assertThat(finalize.state()).isEqualTo(StepState.ENQUEUED);
        assertThat(finalize.dependsOn()).isEmpty();
        assertThat(finalize.createdBy()).isEqualTo("routing_decision");
        assertThat(finalize.type()).isEqualTo("deferred_convergence");
        assertThat(driver.names(task)).containsExactly("validate_request", "routing_decision", "finalize_approval");

        assertThat(driver.complete("finalize_approval", Map.of("approved", false)).finishedTask())
                .isEqualTo(TaskState.COMPLETE);
        assertThat(driver.view(task).state()).isEqualTo(TaskState.COMPLETE);
    }

    @Test
    void aDecisionWithOneBranchCreatesItAndTheConvergenceStepWaitingForIt() {
        UUID task = start("routing");
        driver.complete("validate_request", Map.of("valid", true));
        decide("routing_decision", List.of("auto_approve"));

        assertThat(driver.view(task).steps()).extracting(StepView::name, StepView::state, StepView::dependsOn,
                        StepView::createdBy)
                .containsExactly(tuple("validate_request", StepState.COMPLETE, List.of(), null),
                        tuple("routing_decision", StepState.COMPLETE, List.of("validate_request"), null),
                        tuple("auto_approve", StepState.ENQUEUED, List.of("routing_decision"), "routing_decision"),
                        tuple("finalize_approval", StepState.PENDING, List.of("auto_approve"), "routing_decision"));
        assertThat(branches(task, "routing_decision")).containsExactly(3);

        driver.complete("auto_approve", Map.of("approved_by", "system"));
        assertThat(driver.step(task, "finalize_approval").state()).isEqualTo(StepState.ENQUEUED);
        ClaimedStep finalize = driver.claim("finalize_approval");
        assertThat(Json.parse(finalize.dependencyResults()).path("auto_approve").path("approved_by").asText())
                .isEqualTo("system");
        assertThat(Json.parse(finalize.dependencyResults()).path("routing_decision")
                .path("decision_point_outcome").path("step_names").get(0).asText()).isEqualTo("auto_approve");
        assertThat(driver.record(finalize, Map.of("approved", true)).finishedTask()).isEqualTo(TaskState.COMPLETE);
    }

    @Test
    void aDecisionWithSeveralBranchesCreatesThemAllAndTheConvergenceStepWaitsForAll() {
        UUID task = start("routing");
        driver.complete("validate_request", Map.of("valid", true));
        decide("routing_decision", List.of("manager_approval", "finance_review"));

        assertThat(driver.names(task)).containsExactly("validate_request", "routing_decision", "manager_approval",
                "finance_review", "finalize_approval");
        assertThat(driver.step(task, "finalize_approval").dependsOn())
                .containsExactly("manager_approval", "finance_review");
        assertThat(driver.parentsPending(task, "finalize_approval")).isEqualTo(2);

        driver.complete("finance_review", Map.of("ok", true));
        assertThat(driver.step(task, "finalize_approval").state()).isEqualTo(StepState.PENDING);
        driver.complete("manager_approval", Map.of("ok", true));
        assertThat(driver.step(task, "finalize_approval").state()).isEqualTo(StepState.ENQUEUED);
        assertThat(driver.complete("finalize_approval", Map.of("approved", true)).finishedTask())
                .isEqualTo(TaskState.COMPLETE);
    }

    @Test
    void aBranchComesWithItsFollowersAndAConvergenceStepWaitsUntilEveryDecisionBeforeItIsMade() {
        UUID task = start("nested");
        driver.complete("start", Map.of());
        decide("first", List.of("a", "second"));
        // b was not chosen; x and y wait for the second decision, and so does the convergence step.
        assertThat(driver.view(task).steps()).extracting(StepView::name, StepView::state, StepView::createdBy)
                .containsExactly(tuple("start", StepState.COMPLETE, null),
                        tuple("audit", StepState.IN_PROGRESS, null),
                        tuple("first", StepState.COMPLETE, null),
                        tuple("a", StepState.ENQUEUED, "first"),
                        tuple("a2", StepState.PENDING, "first"),
                        tuple("second", StepState.ENQUEUED, "first"));

        driver.complete("a", Map.of());
        driver.complete("a2", Map.of());
        decide("second", List.of("y"));
        StepView converge = driver.step(task, "converge");
        assertThat(converge.createdBy()).isEqualTo("second");
        assertThat(converge.dependsOn()).containsExactly("audit", "a2", "y");
        assertThat(converge.state()).isEqualTo(StepState.PENDING);
        assertThat(driver.parentsPending(task, "converge")).isEqualTo(2);

        driver.complete("audit", Map.of());
        driver.complete("y", Map.of());
        assertThat(driver.complete("converge", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);
        assertThat(driver.names(task)).containsExactly("start", "audit", "first", "a", "a2", "second", "y", "converge");
    }

    @Test
    void aDecisionMayAlsoNameTheStepsThatFollowItsBranchesAsTaskerCoresDecisionsDo() {
        UUID task = start("nested");
        driver.complete("start", Map.of());
        decide("first", List.of("a", "a2", "b"));
        assertThat(driver.names(task)).containsExactly("start", "audit", "first", "a", "a2", "b", "converge");
        // second was not chosen, so neither x nor y will be: the convergence step waits for a2, b and audit.
        assertThat(driver.step(task, "converge").dependsOn()).containsExactly("audit", "a2", "b");
    }

    @Test
    void aDecisionChoosingAStepItDoesNotDeclareFailsWithAClearMessageAndCreatesNothing() {
        UUID typo = start("routing");
        driver.complete("validate_request", Map.of());
        RecordResult failed = decide("routing_decision", List.of("auto_approve", "manger_approval"));
        assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
        assertThat(failed.finishedTask()).isEqualTo(TaskState.ERROR);
        StepView decision = driver.step(typo, "routing_decision");
        assertThat(decision.lastError().path("message").asText()).isEqualTo("decision step 'routing_decision' chose "
                + "'manger_approval', which its template does not declare; it may choose auto_approve, "
                + "manager_approval, finance_review");
        assertThat(decision.lastError().path("error_type").asText()).isEqualTo("InvalidDecision");
        assertThat(decision.lastError().path("retryable").asBoolean()).isFalse();
        assertThat(decision.lastError().path("details").path("result").path("decision_point_outcome")
                .path("step_names")).hasSize(2);
        assertThat(decision.results()).isNull();
        assertThat(driver.names(typo)).containsExactly("validate_request", "routing_decision");

        UUID notABranch = start("nested");
        driver.complete("start", Map.of());
        assertThat(decide("first", List.of("a2")).stepState()).isEqualTo(StepState.ERROR);
        assertThat(driver.step(notABranch, "first").lastError().path("message").asText())
                .isEqualTo("decision step 'first' "
                + "chose 'a2', which is not one of its branches; it may choose a, b, second");
        assertThat(driver.names(notABranch)).containsExactly("start", "audit", "first");
    }

    @Test
    void aDecisionStepThatReturnsNoDecisionFailsSayingWhatToReturn() {
        UUID task = start("routing");
        driver.complete("validate_request", Map.of());
        RecordResult failed = driver.complete("routing_decision", Map.of("route", "auto"));
        assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
        assertThat(driver.step(task, "routing_decision").lastError().path("message").asText())
                .startsWith("decision step 'routing_decision' returned no decision: its result needs "
                        + "decision_point_outcome");

        UUID unknownType = start("routing", "2");
        driver.complete("validate_request", Map.of());
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putObject("decision_point_outcome").put("type", "maybe");
        assertThat(driver.record(driver.claim("routing_decision"), result).stepState()).isEqualTo(StepState.ERROR);
        assertThat(driver.step(unknownType, "routing_decision").lastError().path("message").asText()).isEqualTo(
                "decision step 'routing_decision' returned a decision_point_outcome of type 'maybe'; expected "
                        + "create_steps or no_branches");
    }

    @Test
    void theRecordingWorkerClaimsAChosenStepInTheSameCall() {
        start("routing");
        driver.complete("validate_request", Map.of());
        ClaimedStep decision = driver.claim("routing_decision");
        CycleResult cycle = recorder.cycle(WORKER, List.of(FinishedStep.of(decision,
                        new StepOutcome.Success(outcome(List.of("manager_approval")), null))),
                new EagerClaim(WORKER, List.of(NS), 4, LEASE));
        assertThat(cycle.recorded()).extracting(RecordResult::stepState).containsExactly(StepState.COMPLETE);
        assertThat(cycle.claimed()).extracting(ClaimedStep::stepName).containsExactly("manager_approval");
    }

    @Test
    void decisionsOfSeveralTasksRecordedTogetherEachGrowTheirOwnTask() {
        UUID one = start("routing", "one");
        UUID two = start("routing", "two");
        UUID three = start("routing", "three");
        List<ClaimedStep> validations = StepQueue.claim(dataSource, WORKER, List.of(NS), 3, LEASE);
        recorder.cycle(WORKER, validations.stream().map(step -> FinishedStep.of(step,
                new StepOutcome.Success(Json.MAPPER.createObjectNode(), null))).toList(), EagerClaim.none(WORKER));
        Map<UUID, List<String>> choices = Map.of(one, List.of("auto_approve"), two, List.of(),
                three, List.of("manager_approval", "finance_review"));
        List<ClaimedStep> decisions = StepQueue.claim(dataSource, WORKER, List.of(NS), 3, LEASE);
        assertThat(decisions).extracting(ClaimedStep::stepName).containsOnly("routing_decision").hasSize(3);

        CycleResult cycle = recorder.cycle(WORKER, decisions.stream().map(step -> FinishedStep.of(step,
                new StepOutcome.Success(outcome(choices.get(step.taskId())), null))).toList(),
                new EagerClaim(WORKER, List.of(NS), 2, LEASE));

        assertThat(cycle.recorded()).extracting(RecordResult::stepState).containsOnly(StepState.COMPLETE);
        assertThat(cycle.claimed()).hasSize(2);
        assertThat(driver.names(one)).containsExactly("validate_request", "routing_decision", "auto_approve",
                "finalize_approval");
        assertThat(driver.names(two)).containsExactly("validate_request", "routing_decision", "finalize_approval");
        assertThat(driver.names(three)).containsExactly("validate_request", "routing_decision", "manager_approval",
                "finance_review", "finalize_approval");
        assertThat(List.of(one, two, three)).flatExtracting(task -> driver.view(task).steps())
                .filteredOn(step -> step.state() == StepState.IN_PROGRESS || step.state() == StepState.ENQUEUED)
                .hasSize(4);
    }

    @Test
    void aStandardStepMayReturnAResultThatLooksLikeADecision() {
        UUID task = start("routing");
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putObject("decision_point_outcome").put("type", "anything");
        assertThat(driver.record(driver.claim("validate_request"), result).stepState()).isEqualTo(StepState.COMPLETE);
        assertThat(driver.step(task, "validate_request").results()).isEqualTo(result);
        assertThat(driver.step(task, "routing_decision").state()).isEqualTo(StepState.ENQUEUED);
    }

    static String resource(String path) {
        try (InputStream in = DecisionPointsTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aParentCompletingWhileADecisionCreatesItsChildIsCountedWhicheverCommitsFirst() throws Exception {
        for (boolean decisionFirst : List.of(true, false)) {
            UUID task = start("nested", String.valueOf(decisionFirst));
            driver.complete("start", Map.of());
            decide("first", List.of("a", "second"));
            driver.complete("a", Map.of());
            driver.complete("a2", Map.of());
            // audit ran beside the decisions; converge will wait for it and for y.
            FinishedStep second = FinishedStep.of(driver.claim("second"),
                    new StepOutcome.Success(outcome(List.of("y")), null));
            FinishedStep audit = FinishedStep.of(driver.claim("audit"),
                    new StepOutcome.Success(Json.MAPPER.valueToTree(1), null));
            FinishedStep first = decisionFirst ? second : audit;
            FinishedStep then = decisionFirst ? audit : second;

            ExecutorService other = Executors.newSingleThreadExecutor();
            try (Connection held = dataSource.getConnection()) {
                held.setAutoCommit(false);
                recorder.cycle(held, WORKER, List.of(first), EagerClaim.none(WORKER));
                Future<RecordResult> racing = other.submit(() -> recorder.record(WORKER, then));
                Thread.sleep(300);
                assertThat(racing).as("the second waits for the first's lock on the task").isNotDone();
                held.commit();
                assertThat(racing.get(10, TimeUnit.SECONDS).recorded()).isTrue();
            } finally {
                other.shutdownNow();
            }

            assertThat(driver.step(task, "converge").dependsOn()).containsExactly("audit", "a2", "y");
            assertThat(driver.parentsPending(task, "converge")).as("decision first: %s", decisionFirst).isEqualTo(1);
            driver.complete("y", Map.of());
            assertThat(driver.complete("converge", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);
        }
    }

    @Test
    void theHistoryShowsWhichDecisionCreatedEachStep() {
        UUID task = start("routing");
        driver.complete("validate_request", Map.of());
        decide("routing_decision", List.of("auto_approve"));
        driver.complete("auto_approve", Map.of());
        driver.complete("finalize_approval", Map.of());

        List<TransitionView> history = queries.history(task);
        assertThat(history).filteredOn(change -> change.fromState() == null)
                .extracting(TransitionView::subject, TransitionView::toState,
                        change -> change.metadata() == null ? null : change.metadata().path("created_by").asText())
                .containsExactly(tuple("task", "in_progress", null),
                        tuple("validate_request", "enqueued", null),
                        tuple("routing_decision", "pending", null),
                        tuple("auto_approve", "enqueued", "routing_decision"),
                        tuple("finalize_approval", "pending", "routing_decision"));
        assertThat(history).filteredOn(change -> change.subject().equals("finalize_approval"))
                .extracting(TransitionView::toState)
                .containsExactly("pending", "enqueued", "in_progress", "complete");
    }

    @Test
    void aStepADecisionCreatedIsRetriedAndItsTaskCancelledAsAnyOther() {
        OperatorActions operator = new OperatorActions(dataSource);
        UUID task = start("routing");
        driver.complete("validate_request", Map.of());
        decide("routing_decision", List.of("manager_approval", "finance_review"));
        ClaimedStep finance = driver.claim("finance_review");
        recorder.record(WORKER, FinishedStep.of(finance, new StepOutcome.Failure("ledger closed", "LedgerClosed",
                false, null, null)));
        driver.complete("manager_approval", Map.of());
        assertThat(driver.view(task).state()).isEqualTo(TaskState.ERROR);

        UUID financeId = driver.step(task, "finance_review").id();
        assertThat(operator.retryStep(task, financeId, "ops", "ledger open again"))
                .isInstanceOf(OperatorActions.Outcome.Done.class);
        driver.complete("finance_review", Map.of("ok", true));
        assertThat(driver.complete("finalize_approval", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);

        UUID cancelled = start("routing", "2");
        driver.complete("validate_request", Map.of());
        decide("routing_decision", List.of("auto_approve"));
        assertThat(operator.cancelTask(cancelled, "ops", "withdrawn")).isInstanceOf(OperatorActions.Outcome.Done.class);
        assertThat(driver.view(cancelled).steps()).extracting(StepView::name, StepView::state).containsExactly(
                tuple("validate_request", StepState.COMPLETE), tuple("routing_decision", StepState.COMPLETE),
                tuple("auto_approve", StepState.CANCELLED), tuple("finalize_approval", StepState.CANCELLED));
    }

    @Test
    void aDecisionInErrorIsCompletedByHandWithAValidChoiceOrResolvedAsNoBranches() {
        OperatorActions operator = new OperatorActions(dataSource);
        UUID completed = start("routing");
        driver.complete("validate_request", Map.of());
        decide("routing_decision", List.of("nobody"));
        UUID decision = driver.step(completed, "routing_decision").id();

        OperatorActions.Outcome refused = operator.completeStep(completed, decision, outcome(List.of("anybody")),
                "ops", null);
        assertThat(refused).isInstanceOf(OperatorActions.Outcome.Conflict.class);
        assertThat(((OperatorActions.Outcome.Conflict) refused).message()).isEqualTo("the result cannot complete "
                + "decision step 'routing_decision': decision step 'routing_decision' chose 'anybody', which its "
                + "template does not declare; it may choose auto_approve, manager_approval, finance_review");
        assertThat(driver.step(completed, "routing_decision").state()).isEqualTo(StepState.ERROR);

        OperatorActions.Outcome done = operator.completeStep(completed, decision, outcome(List.of("manager_approval")),
                "ops", "routed by hand");
        TaskView task = ((OperatorActions.Outcome.Done) done).task();
        assertThat(task.state()).isEqualTo(TaskState.IN_PROGRESS);
        assertThat(task.steps()).extracting(StepView::name, StepView::state, StepView::createdBy).containsExactly(
                tuple("validate_request", StepState.COMPLETE, null),
                tuple("routing_decision", StepState.COMPLETE, null),
                tuple("manager_approval", StepState.ENQUEUED, "routing_decision"),
                tuple("finalize_approval", StepState.PENDING, "routing_decision"));
        driver.complete("manager_approval", Map.of());
        assertThat(driver.complete("finalize_approval", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);

        UUID resolved = start("routing", "2");
        driver.complete("validate_request", Map.of());
        decide("routing_decision", List.of("nobody"));
        OperatorActions.Outcome resolvedDone = operator.resolveStep(resolved,
                driver.step(resolved, "routing_decision").id(), "ops", "nothing to approve");
        assertThat(((OperatorActions.Outcome.Done) resolvedDone).task().steps())
                .extracting(StepView::name, StepView::state, StepView::dependsOn).containsExactly(
                        tuple("validate_request", StepState.COMPLETE, List.of()),
                        tuple("routing_decision", StepState.RESOLVED_MANUALLY, List.of("validate_request")),
                        tuple("finalize_approval", StepState.ENQUEUED, List.of()));
        assertThat(driver.complete("finalize_approval", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);
    }

    private UUID start(String name) {
        return start(name, "1");
    }

    private UUID start(String name, String key) {
        driver = new StepDriver(dataSource, NS);
        CreateTaskResult created = creator.create(TaskRequest.of(NS, name,
                json("{\"amount\": 500, \"run\": \"" + key + "\"}")));
        return ((CreateTaskResult.Created) created).taskId();
    }

    private RecordResult decide(String name, List<String> steps) {
        return driver.record(driver.claim(name), outcome(steps));
    }

    /** A decision's result as tasker-core's handlers return it: the outcome beside the handler's own data. */
    private static JsonNode outcome(List<String> steps) {
        ObjectNode result = Json.MAPPER.createObjectNode().put("route", "chosen");
        ObjectNode outcome = result.putObject("decision_point_outcome");
        if (steps.isEmpty()) {
            outcome.put("type", "no_branches");
        } else {
            outcome.put("type", "create_steps");
            steps.forEach(outcome.putArray("step_names")::add);
        }
        return result;
    }

    private boolean hasPlan(UUID task) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select plan is not null from tasker_tasks where id = ?", row -> row.getBoolean(1), task)).orElseThrow();
    }

    private List<Integer> branches(UUID task, String step) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select branches from tasker_steps where task_id = ? and name = ?",
                row -> List.of((Integer[]) row.getArray(1).getArray()), task, step)).orElseThrow();
    }
}
