package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.bench.Target;
import io.tasker.orchestration.TaskCreator;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code linear-java}, {@code diamond}, {@code tree} and {@code mixed}: one example workflow with
 * Java handlers, created in-process with {@link TaskCreator} and timed until the commit that
 * completes it, one task at a time after a warmup. The worker runs in the same JVM, as in
 * {@code tasker dev}. The architecture sets its latency target for the linear workflow only; the
 * DAGs show what fan-out and fan-in cost on the same path (parallel steps run in parallel slots,
 * and a join waits for its last parent).
 */
final class JavaDagScenario implements Scenario {
    private final String name;
    private final Workflow workflow;
    private final String shape;
    private final Target p50Target;
    private final Target p99Target;

    private JavaDagScenario(String name, Workflow workflow, String shape, Target p50Target) {
        this.name = name;
        this.workflow = workflow;
        this.shape = shape;
        this.p50Target = p50Target;
        this.p99Target = p50Target == null ? null : Targets.LINEAR_IN_PROCESS_P99;
    }

    static JavaDagScenario linear() {
        return new JavaDagScenario("linear-java", Workflow.LINEAR, "4-step linear task", Targets.LINEAR_IN_PROCESS_P50);
    }

    static JavaDagScenario diamond() {
        return new JavaDagScenario("diamond", Workflow.DIAMOND, "4-step diamond (fan-out to 2, fan-in)", null);
    }

    static JavaDagScenario tree() {
        return new JavaDagScenario("tree", Workflow.TREE, "8-step tree (2 branches, 4 leaves, one join)", null);
    }

    static JavaDagScenario mixed() {
        return new JavaDagScenario("mixed", Workflow.MIXED, "7-step mixed DAG (fan-ins, uneven branches)", null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return shape + " with Java handlers, in-process create -> complete, one at a time (p50/p99)";
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        Latencies endToEnd = new Latencies();
        Latencies creation = new Latencies();
        try (CompletionWatch completions = run.environment().watchCompletions();
             JavaWorker ignored = JavaWorker.start(run.environment().database(), List.of(workflow.namespace()),
                     run.options().workerSlots())) {
            SequentialTasks tasks = new SequentialTasks(run.environment(), completions, workflow);
            tasks.run(run.options().warmupOr(200), new Latencies(), new Latencies(), run.progress(), "warmup");
            run.environment().analyze();
            tasks.run(run.options().tasksOr(1000), endToEnd, creation, run.progress(), "measured");
        }
        List<Measure> measures = new ArrayList<>(endToEnd.measures("create->complete", Latencies.Unit.MILLIS, false,
                p50Target, p99Target));
        measures.add(Measure.of("create (in-process) p50", creation.percentile(50, Latencies.Unit.MILLIS), "ms"));
        measures.add(Measure.of("create (in-process) p99", creation.percentile(99, Latencies.Unit.MILLIS), "ms"));
        if (workflow != Workflow.LINEAR) {
            // linear-java's rows stay as they were, so its runs compare with earlier ones row by row.
            measures.add(Measure.of("steps per task", run.environment().steps(workflow), ""));
        }
        return measures;
    }
}
