package io.tasker.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-process bus between the worker foundation and the handler layers: a
 * {@link StepExecutionEvent} goes out to exactly one {@link StepExecutionSubscriber}, and its
 * {@link StepExecutionCompletionEvent} comes back through {@link #publishCompletion}.
 *
 * <p>The bus remembers which events are still unanswered, so a completion for an unknown,
 * already answered or withdrawn event is counted and dropped instead of being recorded twice. It
 * needs no queue of its own: the foundation publishes a step only when it holds a handler slot for
 * it, so the unanswered events are bounded by the worker's slots.
 *
 * <p>The worker bootstrap creates the one bus of a worker; the constructor is public so a handler
 * layer can be tested on a bus of its own, without a database.
 */
public final class WorkerEventSystem {
    private static final Logger log = LoggerFactory.getLogger(WorkerEventSystem.class);
    private static final int MAX_LISTED_CALLABLES = 20;

    /** Where answered events go; false means the completion came too late and was dropped. */
    @FunctionalInterface
    public interface CompletionHandler {
        boolean complete(StepExecutionCompletionEvent completion);
    }

    /**
     * What went through the bus: events published, completions taken (successes and failures),
     * events the foundation withdrew, and completions dropped because nothing waited for them.
     */
    public record Counters(long published, long completed, long failed, long withdrawn, long unknownCompletions) {}

    private record Pending(StepExecutionEvent event, StepExecutionSubscriber subscriber) {}

    private final String workerId;
    private final CompletionHandler completions;
    private final List<StepExecutionSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder withdrawn = new LongAdder();
    private final LongAdder unknownCompletions = new LongAdder();

    public WorkerEventSystem(String workerId, CompletionHandler completions) {
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.completions = Objects.requireNonNull(completions, "completions");
    }

    /**
     * Adds a handler layer. Subscribe before the worker starts claiming, or steps for its
     * callables that arrive first fail for want of a handler.
     */
    public void subscribe(StepExecutionSubscriber subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
    }

    /**
     * Hands a step to the first subscriber that accepts its callable. Without one, or when the
     * subscriber refuses the event by throwing, the step's failure is published in its place.
     */
    public void publish(StepExecutionEvent event) {
        String callable = event.taskSequenceStep().step().callable();
        StepExecutionSubscriber subscriber = subscribers.stream().filter(s -> s.accepts(callable)).findFirst()
                .orElse(null);
        if (pending.putIfAbsent(event.eventId(), new Pending(event, subscriber)) != null) {
            throw new IllegalArgumentException("event " + event.eventId() + " was already published");
        }
        published.increment();
        if (subscriber == null) {
            publishCompletion(StepExecutionCompletionEvent.failure(event, "no handler registered for callable '"
                    + callable + "' in worker " + workerId + " (registered: " + registeredCallables() + ")",
                    "HandlerNotFound", false, null, null));
            return;
        }
        try {
            subscriber.onStepExecution(event);
        } catch (RuntimeException e) {
            log.error("subscriber {} refused step {} ({})", subscriber, event.stepUuid(), callable, e);
            publishCompletion(StepExecutionCompletionEvent.failure(event,
                    "the handler layer could not take the step: " + e, e.getClass().getName(), true, null, null));
        }
    }

    /**
     * Answers a published event. Returns false, and counts it, when no event waits for this
     * completion: an unknown or repeated event id, or an event the foundation withdrew.
     */
    public boolean publishCompletion(StepExecutionCompletionEvent completion) {
        Objects.requireNonNull(completion, "completion");
        UUID eventId = completion.eventId();
        Pending answered = eventId == null ? null : pending.get(eventId);
        if (answered == null || !answered.event().stepUuid().equals(completion.stepUuid())
                || !pending.remove(eventId, answered) || !completions.complete(completion)) {
            unknownCompletions.increment();
            log.warn("dropped a completion for step {} (event {}): no such event is waiting for an answer",
                    completion.stepUuid(), eventId);
            return false;
        }
        (completion.success() ? completed : failed).increment();
        return true;
    }

    /**
     * The foundation gives up on an event: its subscriber is told to cancel it, and a completion
     * sent for it afterwards is dropped. Empty when the event was already answered.
     */
    public Optional<StepExecutionEvent> withdraw(UUID eventId) {
        Pending withdrawnEvent = pending.remove(eventId);
        if (withdrawnEvent == null) {
            return Optional.empty();
        }
        withdrawn.increment();
        if (withdrawnEvent.subscriber() != null) {
            try {
                withdrawnEvent.subscriber().cancel(withdrawnEvent.event());
            } catch (RuntimeException e) {
                log.warn("subscriber {} failed to cancel step {}", withdrawnEvent.subscriber(),
                        withdrawnEvent.event().stepUuid(), e);
            }
        }
        return Optional.of(withdrawnEvent.event());
    }

    /** Events published and not yet answered or withdrawn. */
    public int pendingEvents() {
        return pending.size();
    }

    public Counters counters() {
        return new Counters(published.sum(), completed.sum(), failed.sum(), withdrawn.sum(), unknownCompletions.sum());
    }

    /**
     * The callables the subscribers run, for the claim filter; null when a subscriber cannot list
     * its own (then any step may be claimed).
     */
    public Set<String> claimableCallables() {
        Set<String> callables = new HashSet<>();
        for (StepExecutionSubscriber subscriber : subscribers) {
            Collection<String> own = subscriber.callables();
            if (own == null) {
                return null;
            }
            callables.addAll(own);
        }
        return callables;
    }

    private String registeredCallables() {
        TreeSet<String> callables = new TreeSet<>();
        subscribers.forEach(s -> {
            Collection<String> own = s.callables();
            if (own != null) {
                callables.addAll(own);
            }
        });
        if (callables.isEmpty()) {
            return "none";
        }
        List<String> listed = callables.stream().limit(MAX_LISTED_CALLABLES).toList();
        String more = callables.size() > listed.size() ? " and " + (callables.size() - listed.size()) + " more" : "";
        return String.join(", ", listed) + more;
    }
}
