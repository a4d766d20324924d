package io.tasker.bench.internal;

import io.tasker.bench.Measure;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ruby-vs-java}: the linear workflow with Ruby handlers against the same workflow with Java
 * handlers, through the same in-process harness as {@code linear-java}. Both workers run at once
 * (each serves only its own namespace), and the two languages take turns in {@value #ROUNDS}
 * rounds, so a change in the machine's load during the run hits both alike.
 */
final class RubyVsJavaScenario implements Scenario {
    static final int ROUNDS = 5;

    @Override
    public String name() {
        return "ruby-vs-java";
    }

    @Override
    public String description() {
        return "the linear task with Ruby handlers vs Java handlers, same harness, taking turns: ratio of p50s";
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        BenchEnvironment environment = run.environment();
        int slots = run.options().workerSlots();
        Latencies javaLatencies = new Latencies();
        Latencies rubyLatencies = new Latencies();
        run.progress().line("starting the Ruby worker (JRuby starts in a few seconds on first use)");
        try (CompletionWatch completions = environment.watchCompletions();
             JavaWorker javaWorker = JavaWorker.start(environment.database(), List.of(Workflow.LINEAR.namespace()),
                     slots);
             RubyWorker rubyWorker = RubyWorker.start(environment.database().url(), List.of(Workflow.LINEAR_RUBY.namespace()), slots)) {
            SequentialTasks java = new SequentialTasks(environment, completions, Workflow.LINEAR);
            SequentialTasks ruby = new SequentialTasks(environment, completions, Workflow.LINEAR_RUBY);
            // JRuby compiles a method only after it ran a while, and the JVM then compiles what JRuby
            // generated: with 300 tasks the Ruby layer still cost three times what it costs warm.
            int warmup = run.options().warmupOr(3000);
            java.run(warmup, new Latencies(), new Latencies(), run.progress(), "java warmup");
            ruby.run(warmup, new Latencies(), new Latencies(), run.progress(), "ruby warmup");
            environment.analyze();
            int total = run.options().tasksOr(1000);
            for (int round = 0; round < ROUNDS; round++) {
                int count = total / ROUNDS + (round < total % ROUNDS ? 1 : 0);
                java.run(count, javaLatencies, new Latencies(), run.progress(), "java round " + (round + 1));
                ruby.run(count, rubyLatencies, new Latencies(), run.progress(), "ruby round " + (round + 1));
            }
        }
        double javaP50 = javaLatencies.percentile(50, Latencies.Unit.MILLIS);
        double rubyP50 = rubyLatencies.percentile(50, Latencies.Unit.MILLIS);
        List<Measure> measures = new ArrayList<>();
        measures.add(Measure.of("java p50", javaP50, "ms"));
        measures.add(Measure.of("ruby p50", rubyP50, "ms"));
        measures.add(Measure.of("java p99", javaLatencies.percentile(99, Latencies.Unit.MILLIS), "ms"));
        measures.add(Measure.of("ruby p99", rubyLatencies.percentile(99, Latencies.Unit.MILLIS), "ms"));
        measures.add(Measure.of("ruby/java p50", rubyP50 / javaP50, "x"));
        measures.add(Measure.of("ruby slower by (p50)", (rubyP50 / javaP50 - 1) * 100, "%", Targets.RUBY_SLOWDOWN));
        return measures;
    }
}
