package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.orchestration.TaskCreator;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code linear-java}: the 4-step linear example with Java handlers, created in-process with
 * {@link TaskCreator} and timed until the commit that completes it, one task at a time after a
 * warmup. The worker runs in the same JVM, as in {@code tasker dev}.
 */
final class LinearJavaScenario implements Scenario {
    static final String NAMESPACE = "examples";
    static final String TEMPLATE = "linear_workflow";

    @Override
    public String name() {
        return "linear-java";
    }

    @Override
    public String description() {
        return "4-step linear task with Java handlers, in-process create -> complete, one at a time (p50/p99)";
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        Latencies endToEnd = new Latencies();
        Latencies creation = new Latencies();
        try (CompletionWatch completions = run.environment().watchCompletions();
             JavaWorker ignored = JavaWorker.start(run.environment().database(), List.of(NAMESPACE),
                     run.options().workerSlots())) {
            LinearTasks tasks = new LinearTasks(run.environment(), completions, NAMESPACE, TEMPLATE);
            tasks.run(run.options().warmupOr(200), new Latencies(), new Latencies(), run.progress(), "warmup");
            run.environment().analyze();
            tasks.run(run.options().tasksOr(1000), endToEnd, creation, run.progress(), "measured");
        }
        List<Measure> measures = new ArrayList<>(endToEnd.measures("create->complete", Latencies.Unit.MILLIS, false,
                Targets.LINEAR_IN_PROCESS_P50, null));
        measures.add(Measure.of("create (in-process) p50", creation.percentile(50, Latencies.Unit.MILLIS), "ms"));
        measures.add(Measure.of("create (in-process) p99", creation.percentile(99, Latencies.Unit.MILLIS), "ms"));
        return measures;
    }
}
