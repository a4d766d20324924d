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
 * <p><b>A slot is the handler's thread.</b> A withdrawn event (timed out, claim lost, worker
 * stopping) stays on the bus until its subscriber reports with {@link #handlerReturned} that the
 * thread that ran it is free; only then is the foundation told, through its
 * {@link ReturnHandler}, that the slot can take another step. A thread that does not stop can be
 * {@linkplain #replaceThread replaced}: its subscriber adds a thread in its place, and the slot
 * is given back at once.
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
     * Told when the handler of a withdrawn event returned, so its thread is free again;
     * {@code replaced} when another thread took its place meanwhile and the slot was given back then.
     */
    @FunctionalInterface
    public interface ReturnHandler {
        void returned(StepExecutionEvent event, boolean replaced);
    }

    /**
     * What went through the bus: events published, completions taken (successes and checkpoints; failures),
     * events the foundation withdrew, and completions dropped because nothing waited for them.
     */
    public record Counters(long published, long completed, long failed, long withdrawn, long unknownCompletions) {}

    /** An event is answered while running; withdrawn, it waits for its handler to return. */
    private enum Phase { RUNNING, WITHDRAWN, REPLACED }

    private record Pending(StepExecutionEvent event, StepExecutionSubscriber subscriber, Phase phase) {
        Pending in(Phase next) {
            return new Pending(event, subscriber, next);
        }
    }

    private final String workerId;
    private final CompletionHandler completions;
    private final ReturnHandler returns;
    private final List<StepExecutionSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder withdrawn = new LongAdder();
    private final LongAdder unknownCompletions = new LongAdder();

    public WorkerEventSystem(String workerId, CompletionHandler completions) {
        this(workerId, completions, (event, replaced) -> {});
    }

    public WorkerEventSystem(String workerId, CompletionHandler completions, ReturnHandler returns) {
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.completions = Objects.requireNonNull(completions, "completions");
        this.returns = Objects.requireNonNull(returns, "returns");
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
        if (pending.putIfAbsent(event.eventId(), new Pending(event, subscriber, Phase.RUNNING)) != null) {
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
        while (true) {
            Pending answered = eventId == null ? null : pending.get(eventId);
            if (answered == null || !answered.event().stepUuid().equals(completion.stepUuid())) {
                return drop(completion, "no such event is waiting for an answer", true);
            }
            if (answered.phase() != Phase.RUNNING) {
                // Withdrawn on purpose (timed out, claim lost, stopping), which the foundation logged then.
                return drop(completion, "the step was withdrawn from its handler", false);
            }
            if (pending.remove(eventId, answered)) {
                if (!completions.complete(completion)) {
                    return drop(completion, "the worker no longer waits for it", false);
                }
                (completion.success() || completion.isCheckpoint() ? completed : failed).increment();
                return true;
            }
            // Withdrawn or answered meanwhile: look again.
        }
    }

    private boolean drop(StepExecutionCompletionEvent completion, String why, boolean unexpected) {
        unknownCompletions.increment();
        if (unexpected) {
            log.warn("dropped a completion for step {} (event {}): {}", completion.stepUuid(), completion.eventId(), why);
        } else {
            log.debug("dropped a completion for step {} (event {}): {}", completion.stepUuid(), completion.eventId(),
                    why);
        }
        return false;
    }

    /**
     * The foundation gives up on an event: its subscriber is told to cancel it, and a completion
     * sent for it afterwards is dropped. Present when the subscriber still held it: its slot is
     * free once the subscriber reports {@link #handlerReturned}. Empty when the event was already
     * answered.
     */
    public Optional<StepExecutionEvent> withdraw(UUID eventId) {
        Pending[] before = new Pending[1];
        Pending after = pending.computeIfPresent(eventId, (id, running) -> {
            before[0] = running;
            return running.phase() == Phase.RUNNING && running.subscriber() != null ? running.in(Phase.WITHDRAWN)
                    : running;
        });
        if (after == null || before[0].phase() != Phase.RUNNING || after.phase() != Phase.WITHDRAWN) {
            return Optional.empty();
        }
        withdrawn.increment();
        try {
            after.subscriber().cancel(after.event());
        } catch (RuntimeException e) {
            log.warn("subscriber {} failed to cancel step {}", after.subscriber(), after.event().stepUuid(), e);
        }
        return Optional.of(after.event());
    }

    /**
     * A subscriber's thread is done with {@code eventId}: it answered, or (for a withdrawn event)
     * its handler returned or never started. Subscribers call this for every event they took, once
     * the thread is free; for an answered event it changes nothing.
     */
    public void handlerReturned(UUID eventId) {
        while (true) {
            Pending withdrawnEvent = pending.get(eventId);
            if (withdrawnEvent == null || withdrawnEvent.phase() == Phase.RUNNING) {
                return;
            }
            if (pending.remove(eventId, withdrawnEvent)) {
                returns.returned(withdrawnEvent.event(), withdrawnEvent.phase() == Phase.REPLACED);
                return;
            }
        }
    }

    /**
     * The handler of a withdrawn event does not stop: asks its subscriber to run further steps on
     * a new thread in its place. True when it did; the slot is then free, and
     * {@link ReturnHandler#returned} says {@code replaced} when the old thread returns at last.
     */
    public boolean replaceThread(UUID eventId) {
        boolean[] replaced = new boolean[1];
        pending.computeIfPresent(eventId, (id, stuck) -> {
            if (stuck.phase() != Phase.WITHDRAWN || !stuck.subscriber().replaceStuckThread(stuck.event())) {
                return stuck;
            }
            replaced[0] = true;
            return stuck.in(Phase.REPLACED);
        });
        return replaced[0];
    }

    /** Events published and not yet answered, and withdrawn ones whose handler has not returned. */
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
