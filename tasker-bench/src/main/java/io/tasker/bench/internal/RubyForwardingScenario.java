package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.ruby.RubyRuntime;
import io.tasker.ruby.internal.RubyEventHandler;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import io.tasker.worker.internal.JavaHandlerSubscriber;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ruby-forwarding}: how long a step takes from the foundation's publish to the first line
 * of its Ruby handler, without the database. Synthetic execution events go, one at a time, into a
 * {@link WorkerEventSystem} with a {@link RubyEventHandler} subscribed, exactly as the worker
 * publishes them; from there the production path runs unchanged: the handler-thread hand-off, the
 * conversion to a Ruby Hash, {@code EventBridge#publish_step_execution}, the
 * {@code StepExecutionSubscriber}, the registry lookup and a new handler instance. The clock
 * starts just before {@code publish} and stops at the handler's first line ({@link ForwardingProbe}).
 *
 * <p>The same events go first to a Java handler through the worker's {@link JavaHandlerSubscriber},
 * as a baseline: the thread hand-off both layers pay, so the difference is the Ruby layer's own.
 */
final class RubyForwardingScenario implements Scenario {
    static final String CALLABLE = "TaskerBench::ForwardingStep";
    static final String JAVA_CALLABLE = "bench.JavaForwardingStep";

    @Override
    public String name() {
        return "ruby-forwarding";
    }

    @Override
    public String description() {
        return "foundation publish -> Ruby handler entry, synthetic events without the database (p50/p99/p99.9)";
    }

    /** A bus whose completions release {@link #answered}, for events sent one at a time. */
    private static final class OneAtATime {
        final Semaphore answered = new Semaphore(0);
        final AtomicReference<StepExecutionCompletionEvent> answer = new AtomicReference<>();
        final WorkerEventSystem bus = new WorkerEventSystem("bench-forwarding", completion -> {
            answer.set(completion);
            answered.release();
            return true;
        });
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        int slots = run.options().workerSlots();
        int warmup = run.options().warmupOr(5_000);
        int events = run.options().tasksOr(20_000);

        OneAtATime java = new OneAtATime();
        StepHandlerRegistry handlers = new StepHandlerRegistry().register(JAVA_CALLABLE, () -> context -> {
            ForwardingProbe.entered();
            return StepHandlerResult.success(null);
        });
        Latencies javaLatencies = new Latencies();
        try (JavaHandlerSubscriber javaHandlers = new JavaHandlerSubscriber(handlers, java.bus, "bench-forwarding",
                slots)) {
            java.bus.subscribe(javaHandlers);
            forward(java, JAVA_CALLABLE, warmup, new Latencies(), run.progress(), "java warmup");
            forward(java, JAVA_CALLABLE, events, javaLatencies, run.progress(), "java measured");
        }

        OneAtATime ruby = new OneAtATime();
        run.progress().line("loading the Ruby layer");
        RubyBench.call("start_forwarding");
        RubyEventHandler rubyHandlers = new RubyEventHandler(RubyRuntime.get(), "bench-forwarding",
                RubyEventHandler.CompletionSink.to(ruby.bus), slots);
        ForwardingProbe.attach(rubyHandlers);
        ruby.bus.subscribe(rubyHandlers);
        Latencies rubyLatencies = new Latencies();
        try {
            forward(ruby, CALLABLE, warmup, new Latencies(), run.progress(), "ruby warmup");
            forward(ruby, CALLABLE, events, rubyLatencies, run.progress(), "ruby measured");
        } finally {
            rubyHandlers.close();
            ForwardingProbe.detach();
            RubyBench.call("stop_forwarding");
        }
        List<Measure> measures = new ArrayList<>(rubyLatencies.measures("publish->Ruby handler entry",
                Latencies.Unit.MICROS, true, null, Targets.FORWARDING_P99));
        measures.add(Measure.of("publish->Java handler entry p50", javaLatencies.percentile(50, Latencies.Unit.MICROS),
                "us"));
        measures.add(Measure.of("publish->Java handler entry p99", javaLatencies.percentile(99, Latencies.Unit.MICROS),
                "us"));
        measures.add(Measure.of("publish->Java handler entry p99.9",
                javaLatencies.percentile(99.9, Latencies.Unit.MICROS), "us"));
        return measures;
    }

    private static void forward(OneAtATime bus, String callable, int count, Latencies latencies, Progress progress,
            String label) throws InterruptedException {
        for (int i = 1; i <= count; i++) {
            StepExecutionEvent event = SyntheticSteps.linearStepB(callable);
            long start = System.nanoTime();
            bus.bus.publish(event);
            if (!bus.answered.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the handler did not answer event " + event.eventId()
                        + " within 10 s");
            }
            StepExecutionCompletionEvent completion = bus.answer.get();
            if (!completion.success()) {
                throw new IllegalStateException("the handler failed: " + completion.errorMessage());
            }
            latencies.record(ForwardingProbe.enteredAt() - start);
            progress.count(label, i, count);
        }
    }
}
