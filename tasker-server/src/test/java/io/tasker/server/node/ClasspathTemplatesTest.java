package io.tasker.server.node;

import io.tasker.core.template.HandlerSpec;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoadResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class ClasspathTemplatesTest {
    /**
     * The Ruby twins written in tasker-core's format and style (tasker-core's own approval example,
     * and the CSV batch written as tasker-core's batch examples are), with their retries, step
     * order and class names: the same workflow, not the same template.
     */
    private static final Set<String> TASKER_CORE_FORMAT = Set.of("approval_routing", "csv_batch_processing");

    @Test
    void theExamplesAreAllValidAndHaveTheirDocumentedShape() {
        Map<String, TaskTemplate> examples = new LinkedHashMap<>();
        for (TemplateLoadResult result : ClasspathTemplates.load(ClasspathTemplates.EXAMPLES)) {
            assertThat(result).isInstanceOf(TemplateLoadResult.Loaded.class);
            TaskTemplate template = result.orThrow();
            examples.put(template.key(), template);
        }

        assertThat(examples).containsOnlyKeys("examples/linear_workflow@1.0.0", "examples/diamond_workflow@1.0.0",
                "examples/tree_workflow@1.0.0", "examples/mixed_dag_workflow@1.0.0", "examples/order_fulfillment@1.0.0",
                "examples/approval_routing@1.0.0", "examples/csv_batch_processing@1.0.0");
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

        assertThat(shape(examples.get("examples/csv_batch_processing@1.0.0"))).containsExactly(
                entry("aggregate_csv_results", "deferred_convergence [process_csv_batch]"),
                entry("analyze_csv", "batchable []"),
                entry("process_csv_batch", "batch_worker [analyze_csv]"));
    }

    @Test
    void theRubyExamplesAreTheJavaExamplesWithRubyHandlers() {
        Map<String, TaskTemplate> java = byName(ClasspathTemplates.EXAMPLES);
        Map<String, TaskTemplate> ruby = byName(ClasspathTemplates.RUBY_EXAMPLES);

        assertThat(ruby).containsOnlyKeys(java.keySet());
        java.forEach((name, template) -> {
            TaskTemplate twin = ruby.get(name);
            assertThat(twin.namespace()).isEqualTo("examples_ruby");
            assertThat(twin.version()).isEqualTo(template.version());
            if (TASKER_CORE_FORMAT.contains(name)) {
                assertThat(shape(twin)).as(name).isEqualTo(shape(template));
                return;
            }
            assertThat(twin.inputSchema()).isEqualTo(template.inputSchema());
            assertThat(twin.identityStrategy()).isEqualTo(template.identityStrategy());
            assertThat(twin.steps()).as(name).isEqualTo(template.steps().stream().map(step -> new StepTemplate(
                    step.name(), new HandlerSpec(rubyClassOf(step.handler().callable()), step.handler().initialization()),
                    step.dependsOn(), step.retry(), step.timeoutSeconds())).toList());
        });
    }

    @Test
    void aMissingFolderIsAProblemNotAnException() {
        assertThat(ClasspathTemplates.load("tasker/templates/nowhere")).singleElement()
                .isInstanceOfSatisfying(TemplateLoadResult.Rejected.class, rejected ->
                        assertThat(rejected.problems().getFirst().format())
                                .isEqualTo("classpath:tasker/templates/nowhere/index.txt: not on the classpath"));
    }

    private static Map<String, TaskTemplate> byName(String folder) {
        Map<String, TaskTemplate> templates = new LinkedHashMap<>();
        ClasspathTemplates.load(folder).forEach(result -> templates.put(result.orThrow().name(), result.orThrow()));
        return templates;
    }

    /** {@code io.tasker.examples.math.SquareStep} is {@code Examples::Math::SquareStep} in Ruby. */
    private static String rubyClassOf(String javaClass) {
        String[] parts = javaClass.substring("io.tasker.".length()).split("\\.");
        StringBuilder ruby = new StringBuilder();
        for (String part : parts) {
            ruby.append(ruby.isEmpty() ? "" : "::").append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return ruby.toString();
    }

    /** Each step's type and dependencies, by step name. */
    private static Map<String, String> shape(TaskTemplate template) {
        Map<String, String> shape = new TreeMap<>();
        template.steps().forEach(step -> shape.put(step.name(), step.type().value() + " " + step.dependsOn()));
        return shape;
    }

    private static Map<String, List<String>> edges(TaskTemplate template) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        template.steps().forEach(step -> edges.put(step.name(), step.dependsOn()));
        return edges;
    }
}
