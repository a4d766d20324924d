package io.tasker.ruby.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.LogContext;
import io.tasker.worker.HandlerThreads;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.StepExecutionSubscriber;
import io.tasker.worker.WorkerEventSystem;
import org.jruby.Ruby;
import org.jruby.RubyArray;
import org.jruby.RubyException;
import org.jruby.RubyHash;
import org.jruby.RubyThread;
import org.jruby.exceptions.RaiseException;
import org.jruby.runtime.Block;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;
import org.jruby.runtime.callsite.CachingCallSite;
import org.jruby.runtime.callsite.MonomorphicCallSite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.jruby.api.Create.newString;

/**
 * Forwards step execution events from the worker foundation into Ruby, the design note's
 * {@code RubyEventHandler}: each event is converted to a Hash and handed to
 * {@code TaskerCore::Worker::EventBridge.instance.publish_step_execution} on one of a fixed set of
 * long-lived handler threads. JRuby has no global lock, so those threads run Ruby handlers truly
 * in parallel, and the Ruby layer answers on the same thread through
 * {@code TaskerCore::FFI.send_step_completion_event}, which lands in {@link #complete}.
 *
 * <p>Every event gets exactly one answer. If the Ruby call raises, or returns without having sent
 * a completion (the bridge is stopped, nobody subscribed), a failed completion is sent in its
 * place, so a step is never lost in the handler layer.
 *
 * <p>Method lookups are cached in call sites, and the EventBridge instance is resolved once, so
 * crossing the boundary costs one cached dynamic call per step.
 *
 * <p>While a step runs in Ruby, its task, step and worker are in the MDC ({@link LogContext}) of
 * the handler thread, so what the handler logs through {@code TaskerCore.logger} (an SLF4J logger
 * in a Tasker process) names them.
 */
public final class RubyEventHandler implements StepExecutionSubscriber, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RubyEventHandler.class);
    private static final int BACKTRACE_LINES = 10;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Where answers go: the foundation's event system. */
    public interface CompletionSink {
        /** False means nothing waited for it. */
        boolean complete(StepExecutionCompletionEvent completion);

        /** The handler thread that took {@code eventId} is free again. */
        void handlerReturned(UUID eventId);

        /** Straight to {@code events}. */
        static CompletionSink to(WorkerEventSystem events) {
            return new CompletionSink() {
                @Override
                public boolean complete(StepExecutionCompletionEvent completion) {
                    return events.publishCompletion(completion);
                }

                @Override
                public void handlerReturned(UUID eventId) {
                    events.handlerReturned(eventId);
                }
            };
        }
    }

    /** One event on its way through Ruby. The monitor guards the cancellation fields. */
    private static final class InFlight {
        final StepExecutionEvent event;
        final AtomicBoolean answered = new AtomicBoolean();
        RubyThread rubyThread;
        boolean inRuby;
        boolean cancelled;
        boolean interruptRaised;
        boolean replaced;
        boolean done;

        InFlight(StepExecutionEvent event) {
            this.event = event;
        }
    }

    private final Ruby runtime;
    private final String workerId;
    private final CompletionSink sink;
    private final IRubyObject eventBridge;
    private final IRubyObject handlerRegistry;
    private final IRubyObject cancelledError;
    private final CachingCallSite publishStepExecution = new MonomorphicCallSite("publish_step_execution");
    private final CachingCallSite isRegistered = new MonomorphicCallSite("registered?");
    private final CachingCallSite handlers = new MonomorphicCallSite("handlers");
    private final Map<UUID, InFlight> inFlight = new ConcurrentHashMap<>();
    private final HandlerThreads threads;
    private final ThreadLocal<Boolean> handlerThread = ThreadLocal.withInitial(() -> false);

    /**
     * @param threads how many steps may run in Ruby at once; the foundation publishes only as many
     *     events as it has handler slots, so this is its slot count
     */
    public RubyEventHandler(Ruby runtime, String workerId, CompletionSink sink, int threads) {
        this.runtime = runtime;
        this.workerId = workerId;
        this.sink = sink;
        this.eventBridge = runtime.evalScriptlet("TaskerCore::Worker::EventBridge.instance");
        this.handlerRegistry = runtime.evalScriptlet("TaskerCore::Registry::HandlerRegistry.instance");
        this.cancelledError = runtime.evalScriptlet("TaskerCore::Errors::StepCancelledError");
        AtomicInteger n = new AtomicInteger();
        this.threads = new HandlerThreads(threads, r -> {
            Thread t = new Thread(() -> {
                handlerThread.set(true);
                r.run();
            }, "tasker-ruby-handler-" + n.incrementAndGet());
            // A worker that is never stopped must not keep the JVM alive.
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether the Ruby handler registry has a handler for {@code callable}. */
    @Override
    public boolean accepts(String callable) {
        ThreadContext context = runtime.getCurrentContext();
        return isRegistered.call(context, handlerRegistry, handlerRegistry, newString(context, callable)).isTrue();
    }

    /** The callables registered in Ruby now. */
    @Override
    public Collection<String> callables() {
        ThreadContext context = runtime.getCurrentContext();
        IRubyObject registered = handlers.call(context, handlerRegistry, handlerRegistry);
        RubyArray<?> keys = ((RubyHash) registered).keys(context);
        List<String> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            out.add(keys.eltInternal(i).asJavaString());
        }
        return out;
    }

    /** Queues {@code event} for a handler thread and returns at once. */
    @Override
    public void onStepExecution(StepExecutionEvent event) {
        InFlight step = new InFlight(event);
        if (inFlight.putIfAbsent(event.eventId(), step) != null) {
            throw new IllegalArgumentException("event " + event.eventId() + " is already running in Ruby");
        }
        try {
            threads.execute(() -> forward(step));
        } catch (RuntimeException e) {
            inFlight.remove(event.eventId(), step);
            throw e;
        }
    }

    /**
     * The foundation gave up on {@code event}: a handler still running it gets a
     * {@code TaskerCore::Errors::StepCancelledError} raised inside it, and one that has not started
     * never starts.
     */
    @Override
    public void cancel(StepExecutionEvent event) {
        InFlight step = inFlight.get(event.eventId());
        if (step == null) {
            return;
        }
        synchronized (step) {
            step.cancelled = true;
            if (step.inRuby && !step.interruptRaised) {
                step.interruptRaised = true;
                ThreadContext context = runtime.getCurrentContext();
                step.rubyThread.raise(context, new IRubyObject[] {cancelledError,
                        newString(context, "step " + event.stepUuid() + " was cancelled by the worker")}, Block.NULL_BLOCK);
            }
        }
    }

    /** Runs a thread in place of the one whose handler ignores the cancellation of {@code event}. */
    @Override
    public boolean replaceStuckThread(StepExecutionEvent event) {
        InFlight step = inFlight.get(event.eventId());
        if (step == null) {
            return false;
        }
        synchronized (step) {
            if (step.done || step.replaced) {
                return false;
            }
            step.replaced = true;
        }
        threads.grow();
        return true;
    }

    /**
     * Takes a completion from Ruby. A repeated answer for an event still in flight is dropped
     * here; anything else goes to the foundation, which knows what it still waits for.
     */
    public boolean complete(StepExecutionCompletionEvent completion) {
        InFlight step = completion.eventId() == null ? null : inFlight.get(completion.eventId());
        if (step != null && !step.answered.compareAndSet(false, true)) {
            log.warn("dropped a second completion for step {} (event {})", completion.stepUuid(), completion.eventId());
            return false;
        }
        return sink.complete(completion);
    }

    /** Whether the calling thread is one of this handler's threads (it must not wait for itself). */
    public boolean onHandlerThread() {
        return handlerThread.get();
    }

    private void forward(InFlight step) {
        StepExecutionEvent event = step.event;
        try (LogContext ignored = LogContext.step(event.taskUuid(), event.stepUuid(),
                event.taskSequenceStep().step().name(), workerId)) {
            run(step);
        }
    }

    private void run(InFlight step) {
        StepExecutionEvent event = step.event;
        ThreadContext context = runtime.getCurrentContext();
        String failure = null;
        String errorType = null;
        ObjectNode details = null;
        try {
            synchronized (step) {
                if (step.cancelled) {
                    failure = "the step was cancelled before its Ruby handler started";
                    errorType = "Cancelled";
                    return;
                }
                step.rubyThread = context.getThread();
                step.inRuby = true;
            }
            IRubyObject published = publishStepExecution.call(context, eventBridge, eventBridge,
                    RubyConversions.toRuby(context, event));
            if (published.isNil()) {
                failure = "the Ruby EventBridge is stopped; the step was not run";
                errorType = "BridgeStopped";
            } else {
                failure = "the Ruby handler layer returned without sending a completion"
                        + " (is a StepExecutionSubscriber subscribed to step.execution.received?)";
                errorType = "NoCompletion";
            }
        } catch (RaiseException e) {
            RubyException error = e.getException();
            String type = error.getMetaClass().getRealClass().getName(context);
            failure = "Ruby raised while running the step: " + type + ": " + error.message(context).asJavaString();
            errorType = type;
            details = rubyErrorDetails(context, type, error);
        } catch (RuntimeException | StackOverflowError e) {
            failure = "the Ruby bridge failed while running the step: " + e;
            errorType = e.getClass().getName();
            log.error("Ruby bridge failed on step {} (event {})", event.stepUuid(), event.eventId(), e);
        } finally {
            finish(context, step, failure, errorType, details);
        }
    }

    private void finish(ThreadContext context, InFlight step, String failure, String errorType, ObjectNode details) {
        boolean raised;
        boolean replaced;
        boolean cancelled;
        synchronized (step) {
            step.inRuby = false;
            step.done = true;
            raised = step.interruptRaised;
            replaced = step.replaced;
            cancelled = step.cancelled;
        }
        if (raised) {
            absorbPendingInterrupt(context);
        }
        inFlight.remove(step.event.eventId(), step);
        if (replaced) {
            threads.shrink();
        }
        if (step.answered.compareAndSet(false, true)) {
            if (failure == null) {
                failure = "the step ended without an answer";
                errorType = "NoCompletion";
            }
            // A step the foundation cancelled was reported by it; its answer is dropped anyway.
            if (cancelled) {
                log.debug("step {} (event {}) ended after its cancellation: {}", step.event.stepUuid(),
                        step.event.eventId(), failure);
            } else {
                log.warn("step {} (event {}) failed in the Ruby bridge: {}", step.event.stepUuid(),
                        step.event.eventId(), failure);
            }
            sink.complete(StepExecutionCompletionEvent.failure(step.event, failure, errorType, true, null, details));
        }
        sink.handlerReturned(step.event.eventId());
    }

    /**
     * A cancellation raised just as the handler returned may still be queued on this thread; it
     * must go off here, not inside the next step this thread runs.
     */
    private static void absorbPendingInterrupt(ThreadContext context) {
        try {
            context.pollThreadEvents();
        } catch (RaiseException ignored) {
            // the late cancellation, now harmless
        }
        Thread.interrupted();
    }

    private static ObjectNode rubyErrorDetails(ThreadContext context, String type, RubyException error) {
        ObjectNode details = NODES.objectNode()
                .put("exception_class", type)
                .put("message", error.message(context).asJavaString());
        var backtrace = details.putArray("backtrace");
        IRubyObject lines = error.backtrace();
        if (lines instanceof RubyArray<?> array) {
            for (int i = 0; i < Math.min(array.size(), BACKTRACE_LINES); i++) {
                backtrace.add(array.eltInternal(i).asJavaString());
            }
        }
        return details;
    }

    /** Stops the handler threads; steps still in Ruby run to their end, unanswered ones are failed by their finish. */
    @Override
    public void close() {
        threads.shutdown();
    }
}
