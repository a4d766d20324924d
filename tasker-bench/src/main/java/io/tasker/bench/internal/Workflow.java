package io.tasker.bench.internal;

import java.util.List;

/**
 * An example template the benchmarks run, by namespace and name; its YAML is on the classpath
 * through tasker-dev (and tasker-ruby for the Ruby namespace).
 */
record Workflow(String namespace, String name) {
    /** 4 steps in a chain: the workflow of the architecture's latency targets. */
    static final Workflow LINEAR = new Workflow("examples", "linear_workflow");
    /** 4 steps: one fans out to two, which join. */
    static final Workflow DIAMOND = new Workflow("examples", "diamond_workflow");
    /** 8 steps: a root, two branches, four leaves, one join. */
    static final Workflow TREE = new Workflow("examples", "tree_workflow");
    /** 7 steps: single parents, fan-ins, and a join of branches of different lengths. */
    static final Workflow MIXED = new Workflow("examples", "mixed_dag_workflow");
    /** The linear workflow with Ruby handlers. */
    static final Workflow LINEAR_RUBY = new Workflow("examples_ruby", "linear_workflow");

    /** A batchable step, its batch workers and a deferred convergence step, with Java handlers. */
    static final Workflow CSV_BATCH = new Workflow("examples", "csv_batch_processing");

    /** Every workflow a scenario runs; the environment registers them all. */
    static final List<Workflow> ALL = List.of(LINEAR, DIAMOND, TREE, MIXED, LINEAR_RUBY, CSV_BATCH);

    String resource() {
        return "tasker/templates/" + namespace + "/" + name + ".yaml";
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
