package io.tasker.bench.internal;

import io.tasker.bench.BenchmarkOptions;
import io.tasker.bench.Measure;

import java.util.List;

/** One benchmark, runnable by name from {@code tasker bench}. */
public sealed interface Scenario permits JavaDagScenario, RestScenario, CommitLimitScenario, ThroughputScenario,
        ScaleScenario, RubyVsJavaScenario, RubyForwardingScenario, RubyConversionsScenario, SoakScenario,
        BatchScenario {

    /** Everything a scenario runs against; the environment is shared by the scenarios of one run. */
    record Run(BenchEnvironment environment, BenchmarkOptions options, Progress progress) {}

    String name();

    /** One line for the help text. */
    String description();

    /** Whether it runs when no scenario is named; the soak and the scale test take too long for that. */
    default boolean runsByDefault() {
        return true;
    }

    List<Measure> run(Run run) throws Exception;

    /** Every scenario, in the order a full run takes them. */
    static List<Scenario> all() {
        return List.of(
                JavaDagScenario.linear(),
                RestScenario.linear(),
                RestScenario.createOnly(),
                JavaDagScenario.diamond(),
                JavaDagScenario.tree(),
                JavaDagScenario.mixed(),
                new CommitLimitScenario(),
                new ThroughputScenario(),
                new BatchScenario(),
                new RubyVsJavaScenario(),
                new RubyForwardingScenario(),
                new RubyConversionsScenario(),
                new ScaleScenario(),
                new SoakScenario());
    }
}
