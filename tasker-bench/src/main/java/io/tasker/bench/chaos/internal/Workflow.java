package io.tasker.bench.chaos.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAG the chaos run drives, with arithmetic whose answer the driver knows in advance. Every step
 * takes a number (the task's {@code input} for a root, else the sum of its parents' values), then
 * {@code value = (in * mul + add) mod P}: each step's own {@code mul} and {@code add} come from its
 * handler initialization, so a step that read the wrong parent, or a result recorded from another
 * run of a step, shows as a wrong value somewhere downstream.
 */
record Workflow(String name, List<Step> steps) {
    /** A prime below 2^30: sums of a few values and their products with a small {@code mul} stay in a long. */
    public static final long MODULUS = 1_000_000_007L;

    /** The Java handlers' namespace and the Ruby handlers'; every workflow exists in both. */
    public static final String JAVA_NAMESPACE = "chaos_java";
    public static final String RUBY_NAMESPACE = "chaos_ruby";
    public static final String JAVA_CALLABLE = ChaosStep.class.getName();
    public static final String RUBY_CALLABLE = "Chaos::Step";

    /** A chain, a diamond, a fan-out/fan-in and a DAG with joins of branches of different lengths. */
    public static final List<Workflow> ALL = List.of(
            new Workflow("linear", List.of(
                    Step.root("a"), Step.of("b", "a"), Step.of("c", "b"), Step.of("d", "c"))),
            new Workflow("diamond", List.of(
                    Step.root("a"), Step.of("b", "a"), Step.of("c", "a"), Step.of("d", "b", "c"))),
            new Workflow("fan", List.of(
                    Step.root("split"), Step.of("part_1", "split"), Step.of("part_2", "split"),
                    Step.of("part_3", "split"), Step.of("part_4", "split"),
                    Step.of("join", "part_1", "part_2", "part_3", "part_4"))),
            new Workflow("mixed", List.of(
                    Step.root("init"), Step.of("left", "init"), Step.of("right", "init"),
                    Step.of("validate", "left", "right"), Step.of("transform", "left"),
                    Step.of("analyze", "right"), Step.of("finalize", "validate", "transform", "analyze"))));

    public Workflow {
        steps = List.copyOf(steps);
    }

    /** A step by name and parents; its arithmetic follows from its place in the workflow. */
    public record Step(String name, List<String> parents) {
        public Step {
            parents = List.copyOf(parents);
        }

        static Step root(String name) {
            return new Step(name, List.of());
        }

        static Step of(String name, String... parents) {
            return new Step(name, List.of(parents));
        }
    }

    public static Workflow named(String name) {
        return ALL.stream().filter(w -> w.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no chaos workflow named " + name));
    }

    static long mul(int position) {
        return 3 + 2L * position;
    }

    static long add(int position) {
        return 7L * position + 1;
    }

    /** What one step computes from its input; the handlers (Java and Ruby) compute the same. */
    public static long apply(long in, long mul, long add) {
        return Math.floorMod(Math.floorMod(in, MODULUS) * mul + add, MODULUS);
    }

    /** Every step's value for a task with this {@code input}. */
    public Map<String, Long> expectedValues(long input) {
        Map<String, Long> values = new HashMap<>();
        for (int position = 0; position < steps.size(); position++) {
            Step step = steps.get(position);
            long in = step.parents.isEmpty() ? input
                    : step.parents.stream().mapToLong(values::get).sum();
            values.put(step.name, apply(in, mul(position), add(position)));
        }
        return values;
    }

    /** The parents of the step named {@code name}. */
    public List<String> parentsOf(String name) {
        return steps.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(this.name + " has no step " + name)).parents;
    }

    /** The template file of this workflow in {@code namespace}, whose steps run {@code callable}. */
    public String template(String namespace, String callable) {
        StringBuilder yaml = new StringBuilder()
                .append("namespace: ").append(namespace).append('\n')
                .append("name: ").append(name).append('\n')
                .append("version: 1.0.0\n")
                .append("description: A chaos-run workflow; written by tasker chaos for its run.\n")
                .append("input_schema:\n")
                .append("  type: object\n")
                .append("  required: [input, n]\n")
                .append("  properties:\n")
                .append("    input: {type: integer}\n")
                .append("    n: {type: integer}\n")
                .append("steps:\n");
        for (int position = 0; position < steps.size(); position++) {
            Step step = steps.get(position);
            yaml.append("  - name: ").append(step.name).append('\n')
                    .append("    handler:\n")
                    .append("      callable: ").append(callable).append('\n')
                    .append("      initialization: {mul: ").append(mul(position)).append(", add: ")
                    .append(add(position)).append("}\n");
            if (!step.parents.isEmpty()) {
                yaml.append("    depends_on: [").append(String.join(", ", step.parents)).append("]\n");
            }
        }
        return yaml.toString();
    }
}
