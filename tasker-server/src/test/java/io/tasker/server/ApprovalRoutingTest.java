package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.server.cli.TaskerCommand;
import io.tasker.server.node.RubyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tasker.server.Tasks.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approval routing example of {@code tasker dev} in both languages, as a user runs it: Java
 * handlers in Tasker's template format ({@code examples/approval_routing}), and tasker-core's own
 * example, its Ruby handlers and its template format unchanged but for the namespace
 * ({@code examples_ruby/approval_routing}), created and followed over HTTP. The decision creates
 * only the approvals the amount needs, the convergence step waits for those, and both languages
 * end with the same exact results.
 */
class ApprovalRoutingTest {
    private static final String JAVA = "examples";
    private static final String RUBY = "examples_ruby";

    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private static RunningTasker tasker;
    private static Http http;
    private static Tasks tasks;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.withRuby(RubyHandlers.examplesOnly());
        http = new Http(tasker.url());
        tasks = new Tasks(http);
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @ParameterizedTest(name = "{0}: {1} goes to {2}")
    @CsvSource(delimiter = ';', value = {
            "examples; 500; auto_approval; auto_approve; system",
            "examples; 1000; manager_only; manager_approval; manager",
            "examples; 5000; manager_only; manager_approval; manager",
            "examples; 12500; dual_approval; manager_approval finance_review; manager finance",
            "examples_ruby; 500; auto_approval; auto_approve; system",
            "examples_ruby; 1000; manager_only; manager_approval; manager",
            "examples_ruby; 5000; manager_only; manager_approval; manager",
            "examples_ruby; 12500; dual_approval; manager_approval finance_review; manager finance"})
    void theDecisionCreatesOnlyTheApprovalsTheAmountNeeds(String namespace, long amount, String route,
                                                          String approvalSteps, String approvers) {
        List<String> approvals = List.of(approvalSteps.split(" "));
        JsonNode task = run(namespace, amount);

        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        List<String> names = new ArrayList<>(List.of("validate_request", "routing_decision"));
        names.addAll(approvals);
        names.add("finalize_approval");
        assertThat(task.get("steps")).extracting(step -> step.get("name").asText())
                .containsExactlyInAnyOrderElementsOf(names);
        assertThat(step(task, "routing_decision").get("results")).isEqualTo(Json.parse("""
                {"amount": %d, "route_type": "%s",
                 "decision_point_outcome": {"type": "create_steps", "step_names": %s}}"""
                .formatted(amount, route, Json.write(approvals))));
        for (String approval : approvals) {
            JsonNode step = step(task, approval);
            assertThat(step.get("created_by").asText()).isEqualTo("routing_decision");
            assertThat(step.get("results").get("amount").longValue()).isEqualTo(amount);
        }
        JsonNode finalize = step(task, "finalize_approval");
        assertThat(finalize.get("type").asText()).isEqualTo("deferred_convergence");
        assertThat(finalize.get("created_by").asText()).isEqualTo("routing_decision");
        assertThat(finalize.get("depends_on")).extracting(JsonNode::asText).containsExactlyElementsOf(approvals);
        assertThat(finalize.get("results")).isEqualTo(Json.parse("""
                {"approved": true, "approvers": %s, "route_type": "%s", "amount": %d}"""
                .formatted(Json.write(List.of(approvers.split(" "))), route, amount)));
    }

    @Test
    void javaAndRubyEndWithTheSameResultsStepForStep() {
        for (long amount : new long[] {999, 1001, 5001}) {
            JsonNode java = run(JAVA, amount);
            JsonNode ruby = run(RUBY, amount);
            assertThat(ruby.get("steps")).hasSameSizeAs(java.get("steps"));
            for (JsonNode step : java.get("steps")) {
                String name = step.get("name").asText();
                assertThat(step(ruby, name).get("results")).as(name + " at " + amount).isEqualTo(step.get("results"));
                assertThat(step(ruby, name).get("created_by")).as(name).isEqualTo(step.get("created_by"));
            }
        }
    }

    @Test
    void theHistoryShowsWhichDecisionCreatedEachApproval() {
        String id = tasks.create(JAVA, "approval_routing", context(12500));
        tasks.awaitFinished(id);
        JsonNode transitions = http.get("/v1/tasks/" + id + "/transitions").json().get("transitions");
        List<String> created = new ArrayList<>();
        for (JsonNode change : transitions) {
            if (change.get("from_state").isNull() && !change.path("metadata").path("created_by").isMissingNode()) {
                created.add(change.get("subject").asText() + " by " + change.at("/metadata/created_by").asText());
            }
        }
        assertThat(created).containsExactlyInAnyOrder("manager_approval by routing_decision",
                "finance_review by routing_decision", "finalize_approval by routing_decision");
    }

    @Test
    void tasker_task_getShowsTheDecisionAndWhatItCreated() {
        String id = tasks.create(RUBY, "approval_routing", context(700));
        tasks.awaitFinished(id);
        StringWriter out = new StringWriter();
        CommandLine cli = TaskerCommand.commandLine(new TaskerCommand(Map.of("TASKER_URL", tasker.url())));
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("task", "get", id)).isZero();
        assertThat(out.toString())
                .containsPattern("validate_request +complete +attempts 1/3 + result")
                .containsPattern("routing_decision +complete +attempts 1/3 +decision +result \\{\"amount\":700,")
                .containsPattern("finalize_approval +complete +attempts 1/3 +convergence, created by routing_decision "
                        + "+result \\{\"amount\":700,\"approved\":true,\"approvers\":\\[\"system\"],")
                .containsPattern("auto_approve +complete +attempts 1/3 +created by routing_decision +result");
    }

    private static JsonNode run(String namespace, long amount) {
        String id = tasks.create(namespace, "approval_routing", context(amount));
        return tasks.awaitFinished(id).json();
    }

    /** A request of its own each time: the same request twice would be the same task. */
    private static String context(long amount) {
        return "{\"amount\": %d, \"requester\": \"ada\", \"purpose\": \"laptop\", \"request_id\": %d}"
                .formatted(amount, REQUESTS.incrementAndGet());
    }
}
