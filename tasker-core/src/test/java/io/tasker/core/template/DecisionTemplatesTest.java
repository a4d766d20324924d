package io.tasker.core.template;

import io.tasker.core.template.TemplateLoadResult.Loaded;
import io.tasker.core.template.TemplateLoadResult.Rejected;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Decision steps and deferred convergence steps, in Tasker's format and in tasker-core's. */
class DecisionTemplatesTest {
    /** Amount-based approval routing in Tasker's format: the decision chooses one or two approvals. */
    static final String ROUTING = TemplateLoaderTest.read("decisions/approval_routing.yaml");

    /** tasker-core's conditional approval fixture, abridged: its keys and its order of steps. */
    static final String TASKER_CORE_ROUTING = """
            ---
            name: approval_routing
            namespace_name: conditional_approval
            version: 1.0.0
            steps:
              - name: validate_request
                handler:
                  callable: ConditionalApproval::StepHandlers::ValidateRequestHandler
                dependencies: []
                type: standard
              - name: routing_decision
                handler:
                  callable: ConditionalApproval::StepHandlers::RoutingDecisionHandler
                  initialization:
                    thresholds: {small: 1000, large: 5000}
                dependencies:
                  - validate_request
                type: decision
              - name: finalize_approval
                handler:
                  callable: ConditionalApproval::StepHandlers::FinalizeApprovalHandler
                dependencies: [auto_approve, manager_approval, finance_review]
                step_type: deferred_convergence
              - name: auto_approve
                handler:
                  callable: ConditionalApproval::StepHandlers::AutoApproveHandler
                dependencies: [routing_decision]
                type: standard
              - name: manager_approval
                handler:
                  callable: ConditionalApproval::StepHandlers::ManagerApprovalHandler
                dependencies: [routing_decision]
              - name: finance_review
                handler:
                  callable: ConditionalApproval::StepHandlers::FinanceReviewHandler
                dependencies: [routing_decision]
            """;

    @Test
    void decisionAndConvergenceStepsLoadInTaskersFormat() {
        Loaded loaded = load(ROUTING);
        TaskTemplate template = loaded.template();
        assertThat(template.steps()).extracting(StepTemplate::name, StepTemplate::type).containsExactly(
                tuple("validate_request", StepType.STANDARD),
                tuple("routing_decision", StepType.DECISION),
                tuple("auto_approve", StepType.STANDARD),
                tuple("manager_approval", StepType.STANDARD),
                tuple("finance_review", StepType.STANDARD),
                tuple("finalize_approval", StepType.DEFERRED_CONVERGENCE));
        assertThat(loaded.warnings()).isEmpty();
        assertThat(template.hasDecisions()).isTrue();
        assertThat(template.steps()).filteredOn(step -> template.behindDecision(step.name()))
                .extracting(StepTemplate::name)
                .containsExactly("auto_approve", "manager_approval", "finance_review", "finalize_approval");
    }

    @Test
    void decisionAndConvergenceStepsLoadInTaskerCoresFormat() {
        TaskTemplate template = load(TASKER_CORE_ROUTING).template();
        assertThat(template.step("routing_decision").orElseThrow().type()).isEqualTo(StepType.DECISION);
        assertThat(template.step("finalize_approval").orElseThrow().type()).isEqualTo(StepType.DEFERRED_CONVERGENCE);
        assertThat(template.step("finalize_approval").orElseThrow().dependsOn())
                .containsExactly("auto_approve", "manager_approval", "finance_review");
    }

    @Test
    void theStoredFormKeepsStepTypesAndTemplatesWithoutThemHashAsBefore() {
        TaskTemplate template = load(ROUTING).template();
        assertThat(template.toJson()).contains("\"type\":\"decision\"", "\"type\":\"deferred_convergence\"");
        TaskTemplate stored = TaskTemplate.fromJson(template.toJson());
        assertThat(stored).isEqualTo(template);
        assertThat(stored.contentHash()).isEqualTo(template.contentHash());

        TaskTemplate plain = load(ROUTING.replace("type: decision", "type: standard")
                .replace("type: deferred_convergence", "")).template();
        assertThat(plain.toJson()).doesNotContain("\"type\"");
        TaskTemplate unmarked = load(ROUTING.replace("    type: decision\n", "")
                .replace("    type: deferred_convergence\n", "")).template();
        assertThat(plain.contentHash()).isEqualTo(unmarked.contentHash());
    }

    @Test
    void aDecisionNeedsBranchesAndAConvergenceStepNeedsDependencies() {
        assertThat(problems("""
                namespace: approvals
                name: broken
                version: 1.0.0
                steps:
                  - name: route
                    type: decision
                    handler: {callable: Route}
                  - name: converge
                    type: deferred_convergence
                    handler: {callable: Converge}
                    depends_on: [route]
                  - name: nothing
                    type: deferred_convergence
                    handler: {callable: Nothing}
                """)).containsExactly(
                "broken.yaml:5: step 'route': decision step 'route' has no branches to choose from: its branches "
                        + "are the steps that list it in depends_on, and none does",
                "broken.yaml:12: step 'nothing': deferred_convergence step 'nothing' has no dependencies: list "
                        + "every step it may wait for in depends_on");
    }

    @Test
    void theGuidesSpellingsAreRefusedWithTheWordTaskerCoreReads() {
        assertThat(problems("""
                name: guide
                namespace_name: approvals
                version: 1.0.0
                steps:
                  - name: route
                    type: decision_point
                    handler: {callable: Route}
                  - name: approve
                    handler: {callable: Approve}
                    dependencies: [route]
                  - name: finish
                    type: deferred
                    handler: {callable: Finish}
                    dependencies: [route, approve]
                """)).containsExactly(
                "broken.yaml:6: step 'route': type 'decision_point' is how tasker-core's guide writes it, but "
                        + "tasker-core reads only 'decision': write type: decision",
                "broken.yaml:12: step 'finish': type 'deferred' is how tasker-core's guide writes it, but "
                        + "tasker-core reads only 'deferred_convergence': write type: deferred_convergence");
    }

    @Test
    void shapesThatRunButLikelyNotAsMeantAreWarnedAbout() {
        Loaded loaded = load("""
                namespace: approvals
                name: warned
                version: 1.0.0
                steps:
                  - name: start
                    handler: {callable: Start}
                  - name: converge
                    type: deferred_convergence
                    handler: {callable: Converge}
                    depends_on: [start]
                  - name: route
                    type: decision
                    handler: {callable: Route}
                  - name: left
                    handler: {callable: Left}
                    depends_on: [route]
                  - name: right
                    handler: {callable: Right}
                    depends_on: [route]
                  - name: join
                    handler: {callable: Join}
                    depends_on: [left, right]
                """);
        assertThat(loaded.warnings()).extracting(TemplateProblem::format).containsExactly(
                "template.yaml:8: step 'converge': deferred_convergence step 'converge' waits for no decision or "
                        + "batch: every step it depends on is always created, so it runs as a standard step",
                "template.yaml:20: step 'join': step 'join' depends on 'left' and 'right', branches of decision "
                        + "'route': it is created only when the decision chooses all of them; make it type: "
                        + "deferred_convergence to wait for whichever were chosen");
    }

    @Test
    void aTemplateBuiltInCodeIsCheckedToo() {
        HandlerSpec handler = new HandlerSpec("H");
        assertThatThrownBy(() -> new TaskTemplate("approvals", "in_code", SemVer.parse("1.0.0"), null, null, null,
                List.of(new StepTemplate("route", handler, List.of(), null, 30, StepType.DECISION))))
                .isInstanceOf(TemplateValidationException.class)
                .hasMessageContaining("decision step 'route' has no branches to choose from");
    }

    /** The template {@code yaml}, read as file template.yaml; fails the test when it has problems. */
    static Loaded load(String yaml) {
        TemplateLoadResult result = TemplateLoader.parse(yaml, "template.yaml", "development");
        assertThat(result).as(() -> result instanceof Rejected rejected
                ? rejected.problems().stream().map(TemplateProblem::format).toList().toString() : "")
                .isInstanceOf(Loaded.class);
        return (Loaded) result;
    }

    /** The problems of the template {@code yaml}, read as file broken.yaml. */
    static List<String> problems(String yaml) {
        TemplateLoadResult result = TemplateLoader.parse(yaml, "broken.yaml", "development");
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).problems().stream().map(TemplateProblem::format).toList();
    }
}
