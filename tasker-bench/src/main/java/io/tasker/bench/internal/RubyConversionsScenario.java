package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code ruby-conversions}: the JMH micro-benchmark {@link RubyConversionBenchmark}, the part of
 * the forwarding path that is pure computation: three warmup and five measured iterations of one
 * second, in a forked JVM. With no forks it runs one short iteration in this JVM, which only shows
 * that it works.
 */
final class RubyConversionsScenario implements Scenario {

    @Override
    public String name() {
        return "ruby-conversions";
    }

    @Override
    public String description() {
        return "JMH: execution event -> Ruby Hash and completion Hash -> Java, ns per conversion";
    }

    @Override
    public List<Measure> run(Run run) throws Exception {
        int forks = run.options().jmhForks();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(RubyConversionBenchmark.class.getName())
                .forks(forks)
                // The forked JVM's warnings would land on stdout, in the results table.
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .verbosity(VerboseMode.SILENT);
        if (forks == 0) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        run.progress().line("running JMH (%d fork%s)", forks, forks == 1 ? "" : "s");
        Collection<RunResult> results = new Runner(options.build()).run();
        List<Measure> measures = new ArrayList<>();
        for (RunResult result : results) {
            String benchmark = result.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            measures.add(Measure.of(method, result.getPrimaryResult().getScore(), "ns/op"));
        }
        return measures;
    }
}
