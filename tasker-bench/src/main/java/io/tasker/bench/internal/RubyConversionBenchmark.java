package io.tasker.bench.internal;

import io.tasker.ruby.RubyRuntime;
import io.tasker.ruby.internal.RubyConversions;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import org.jruby.RubyHash;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The two conversions every Ruby step pays at the boundary: the execution event into a Ruby Hash,
 * and the handler's completion Hash back into a Java event. Run by {@code ruby-conversions}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RubyConversionBenchmark {
    private ThreadContext context;
    private StepExecutionEvent event;
    private IRubyObject completion;

    @Setup
    public void setUp() {
        context = RubyRuntime.get().getCurrentContext();
        event = SyntheticSteps.linearStepB(RubyForwardingScenario.CALLABLE);
        // The completion the StepExecutionSubscriber builds for a squaring step.
        completion = RubyRuntime.eval("""
                { event_id: '%s', task_uuid: '%s', step_uuid: '%s', success: true,
                  result: { 'value' => 1296 },
                  metadata: { 'handler' => 'Examples::Math::SquareStep', 'duration_ms' => 0.012, 'attempt' => 1 },
                  completed_at: '2026-01-01T00:00:00.000000Z' }
                """.formatted(event.eventId(), event.taskUuid(), event.stepUuid()));
    }

    @Benchmark
    public RubyHash eventToRuby() {
        return RubyConversions.toRuby(context, event);
    }

    @Benchmark
    public StepExecutionCompletionEvent completionToJava() {
        return RubyConversions.toCompletion(context, completion);
    }
}
