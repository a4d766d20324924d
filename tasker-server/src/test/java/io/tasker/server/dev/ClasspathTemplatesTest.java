package io.tasker.server.dev;

import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoadResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ClasspathTemplatesTest {

    @Test
    void theExamplesAreAllValidAndHaveTheirDocumentedShape() {
        Map<String, TaskTemplate> examples = new LinkedHashMap<>();
        for (TemplateLoadResult result : ClasspathTemplates.load(ClasspathTemplates.EXAMPLES)) {
            assertThat(result).isInstanceOf(TemplateLoadResult.Loaded.class);
            TaskTemplate template = result.orThrow();
            examples.put(template.key(), template);
        }

        assertThat(examples).containsOnlyKeys("examples/linear_workflow@1.0.0", "examples/diamond_workflow@1.0.0",
                "examples/tree_workflow@1.0.0", "examples/mixed_dag_workflow@1.0.0", "examples/order_fulfillment@1.0.0");
        assertThat(edges(examples.get("examples/linear_workflow@1.0.0"))).containsExactly(
                entry("step_a", List.of()), entry("step_b", List.of("step_a")),
                entry("step_c", List.of("step_b")), entry("step_d", List.of("step_c")));
        assertThat(edges(examples.get("examples/diamond_workflow@1.0.0"))).containsEntry("end", List.of("left", "right"));
        assertThat(edges(examples.get("examples/tree_workflow@1.0.0")))
                .containsEntry("converge", List.of("leaf_a", "leaf_b", "leaf_c", "leaf_d"))
                .containsEntry("leaf_c", List.of("branch_right"));
        assertThat(edges(examples.get("examples/mixed_dag_workflow@1.0.0")))
                .containsEntry("finalize", List.of("validate", "transform", "analyze"))
                .containsEntry("analyze", List.of("right"));

        TaskTemplate orders = examples.get("examples/order_fulfillment@1.0.0");
        assertThat(edges(orders)).containsEntry("ship_order", List.of("reserve_inventory", "process_payment"));
        StepTemplate payment = orders.step("process_payment").orElseThrow();
        assertThat(payment.retry().maxAttempts()).isEqualTo(5);
        assertThat(payment.retry().backoffBaseMs()).isEqualTo(100);
        assertThat(orders.inputSchema().get("required").toString()).isEqualTo("[\"order_id\"]");
    }

    @Test
    void aMissingFolderIsAProblemNotAnException() {
        assertThat(ClasspathTemplates.load("tasker/templates/nowhere")).singleElement()
                .isInstanceOfSatisfying(TemplateLoadResult.Rejected.class, rejected ->
                        assertThat(rejected.problems().getFirst().format())
                                .isEqualTo("classpath:tasker/templates/nowhere/index.txt: not on the classpath"));
    }

    private static Map<String, List<String>> edges(TaskTemplate template) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        template.steps().forEach(step -> edges.put(step.name(), step.dependsOn()));
        return edges;
    }
}
