package io.tasker.server.cli;

import io.tasker.core.internal.Json;
import io.tasker.server.RunningApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tasker template list|show|graph}: the templates of a running Tasker, over HTTP. */
class TemplateCommandTest {
    @RegisterExtension
    static final RunningApi api = new RunningApi();

    @Test
    void listShowsEveryRegisteredVersion() {
        CommandRun run = CommandRun.run(api.environment(), "template", "list");
        CommandRun json = CommandRun.run(api.environment(), "template", "list", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        AlignedTable table = AlignedTable.parse(run.out());
        assertThat(table.columns()).containsExactly("TEMPLATE", "VERSION", "STEPS", "REGISTERED", "DESCRIPTION");
        assertThat(table.column("TEMPLATE")).contains("examples/diamond_workflow", "examples/tree_workflow");
        int diamond = table.column("TEMPLATE").indexOf("examples/diamond_workflow");
        assertThat(table.rows().get(diamond)).startsWith("examples/diamond_workflow", "1.0.0", "4");
        assertThat(table.column("DESCRIPTION").get(diamond)).startsWith("One step fans out")
                .hasSizeLessThanOrEqualTo(60);
        assertThat(Json.parse(json.out()).get("templates").size()).isEqualTo(table.rows().size());
    }

    @Test
    void showPrintsEachStepWithWhatItDependsOn() {
        CommandRun run = CommandRun.run(api.environment(), "template", "show", "examples/order_fulfillment@1.0.0");
        CommandRun json = CommandRun.run(api.environment(), "template", "show", "examples/order_fulfillment", "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\\R", 3);
        assertThat(lines[0]).isEqualTo("template examples/order_fulfillment@1.0.0");
        assertThat(lines[1]).startsWith("  An order validated, then inventory reserved");
        AlignedTable steps = AlignedTable.parse(lines[2]);
        assertThat(steps.columns()).containsExactly("STEP", "DEPENDS ON", "HANDLER", "RETRY", "TIMEOUT");
        assertThat(steps.column("STEP"))
                .containsExactly("validate_order", "reserve_inventory", "process_payment", "ship_order");
        assertThat(steps.column("DEPENDS ON"))
                .containsExactly("-", "validate_order", "validate_order", "reserve_inventory, process_payment");
        assertThat(steps.column("HANDLER").get(2)).isEqualTo("io.tasker.examples.orders.ProcessPayment");
        assertThat(steps.column("RETRY").get(2)).isEqualTo("5 attempts, backoff 100 ms");
        assertThat(Json.parse(json.out()).get("steps").get(3).get("depends_on").size()).isEqualTo(2);
    }

    @Test
    void graphPrintsTheDagAsAMermaidFlowchart() {
        CommandRun run = CommandRun.run(api.environment(), "template", "graph", "examples/diamond_workflow");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "flowchart LR",
                "    %% examples/diamond_workflow@1.0.0",
                "    s0[\"start\"]",
                "    s1[\"left\"]",
                "    s2[\"right\"]",
                "    s3[\"end\"]",
                "    s0 --> s1",
                "    s0 --> s2",
                "    s1 --> s3",
                "    s2 --> s3");
    }

    @Test
    void showAndGraphSayTheTypeOfEachStepThatIsNotStandard() {
        CommandRun show = CommandRun.run(api.environment(), "template", "show", "examples/approval_routing");
        CommandRun graph = CommandRun.run(api.environment(), "template", "graph", "examples/approval_routing");

        assertThat(show.exitCode()).as(show.err()).isZero();
        AlignedTable steps = AlignedTable.parse(show.out().split("\\R", 3)[2]);
        assertThat(steps.columns()).containsExactly("STEP", "TYPE", "DEPENDS ON", "HANDLER", "RETRY", "TIMEOUT");
        assertThat(steps.column("TYPE")).containsExactly("-", "decision", "-", "-", "-", "deferred_convergence");
        assertThat(graph.exitCode()).as(graph.err()).isZero();
        assertThat(graph.out().lines()).contains(
                "    s0[\"validate_request\"]",
                "    s1[\"routing_decision (decision)\"]",
                "    s5[\"finalize_approval (deferred_convergence)\"]",
                "    s1 --> s2");
    }

    @Test
    void anUnknownTemplateIsA404AndAMalformedOneAUsageError() {
        CommandRun unknown = CommandRun.run(api.environment(), "template", "graph", "examples/nothing@2.0.0");
        CommandRun malformed = CommandRun.run(api.environment(), "template", "show", "diamond_workflow");

        assertThat(unknown.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknown.err()).startsWith("error: no template examples/nothing@2.0.0").contains("(HTTP 404)");
        assertThat(malformed.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(malformed.err())
                .startsWith("error: the template must be given as NAMESPACE/NAME or NAMESPACE/NAME@VERSION");
    }
}
