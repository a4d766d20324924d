package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.ruby.RubyRuntime;
import io.tasker.ruby.internal.RubyEventHandler;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.WorkerEventSystem;

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
 */
final class RubyForwardingScenario implements Scenario {
    static final String CALLABLE = "TaskerBench::ForwardingStep";

    @Override
    public String name() {
        return "ruby-forwarding";
    }

    @Override
    public String description() {
        return "foundation publish -> Ruby handler entry, synthetic events without the database (p50/p99/p99.9)";
    }

    @Override
    public List<Measure> run(Run run) throws InterruptedException {
        Semaphore answered = new Semaphore(0);
        AtomicReference<StepExecutionCompletionEvent> answer = new AtomicReference<>();
        WorkerEventSystem bus = new WorkerEventSystem("bench-forwarding", completion -> {
            answer.set(completion);
            answered.release();
            return true;
        });
        run.progress().line("loading the Ruby layer");
        RubyBench.call("start_forwarding");
        RubyEventHandler handler = new RubyEventHandler(RubyRuntime.get(), bus::publishCompletion,
                run.options().workerSlots());
        ForwardingProbe.attach(handler);
        bus.subscribe(handler);
        Latencies latencies = new Latencies();
        try {
            forward(bus, answered, answer, run.options().warmupOr(5_000), new Latencies(), run.progress(), "warmup");
            forward(bus, answered, answer, run.options().tasksOr(20_000), latencies, run.progress(), "measured");
        } finally {
            handler.close();
            ForwardingProbe.detach();
            RubyBench.call("stop_forwarding");
        }
        return latencies.measures("publish->handler entry", Latencies.Unit.MICROS, true, null,
                Targets.FORWARDING_P99);
    }

    private static void forward(WorkerEventSystem bus, Semaphore answered,
            AtomicReference<StepExecutionCompletionEvent> answer, int count, Latencies latencies, Progress progress,
            String label) throws InterruptedException {
        for (int i = 1; i <= count; i++) {
            StepExecutionEvent event = SyntheticSteps.linearStepB(CALLABLE);
            long start = System.nanoTime();
            bus.publish(event);
            if (!answered.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Ruby handler did not answer event " + event.eventId()
                        + " within 10 s");
            }
            StepExecutionCompletionEvent completion = answer.get();
            if (!completion.success()) {
                throw new IllegalStateException("the Ruby handler failed: " + completion.errorMessage());
            }
            latencies.record(ForwardingProbe.enteredAt() - start);
            progress.count(label, i, count);
        }
    }
}
