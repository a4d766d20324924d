package io.tasker.worker.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import io.tasker.core.Ids;
import io.tasker.core.db.Database;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.QueueListener;
import io.tasker.core.queue.StepQueue;
import io.tasker.orchestration.CycleResult;
import io.tasker.orchestration.EagerClaim;
import io.tasker.orchestration.FinishedStep;
import io.tasker.orchestration.LocalDispatch;
import io.tasker.orchestration.RecordResult;
import io.tasker.orchestration.ResultRecorder;
import io.tasker.orchestration.StepOutcome;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.TaskSequenceStep;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.internal.TaskSequenceSteps.Prepared;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine of one worker: claims steps, publishes them on the {@link WorkerEventSystem}, records
 * their results, keeps their leases alive and times them out.
 *
 * <p><b>One cycle, one transaction.</b> A single thread, the cycle loop, talks to the database for
 * the step path. Each cycle is one call of {@link ResultRecorder#cycle}: it records every step that
 * finished since the last cycle, advances their tasks, and claims steps for the slots that frees
 * and for the slots that were idle, with everything the handlers need. Steps that finish while a
 * cycle is in flight wait for it and go together into the next one (group commit); a step that
 * finishes while the loop is idle is recorded at once, alone.
 *
 * <p><b>Slots before claims.</b> A semaphore holds one permit per handler slot. A cycle takes the
 * idle permits and the permits of the steps it records, claims at most that many steps and gives
 * back the permits it did not use, so the worker never holds a step it has no slot for. A step
 * keeps its permit until its result is recorded. {@link #reserve} lends idle permits to a task
 * creator in this process, which claims the new task's first steps in its own transaction.
 *
 * <p><b>Checkpoints.</b> A batch worker's checkpoint is recorded like a result and frees its slot
 * the same way; the cycle that saves it hands the step back, claimed at the same attempt, ahead of
 * any other step, so it runs again from the checkpoint on the permit it just gave back. A cycle
 * that claims nothing (the worker is stopping) sends it to the queue instead, to resume elsewhere.
 *
 * <p><b>A slot is a thread.</b> When a step is settled without its handler's answer (timed out,
 * claim lost, stopping), its permit stays with the handler's thread until the handler layer
 * reports that thread free, so a handler that ignores cancellation never makes a neighbour wait
 * for a thread or fail. A thread still busy {@code cancelGrace} after the cancellation is
 * counted as stuck (log, {@link #stuckHandlers()}, the health check) and replaced by a new
 * thread, which frees its slot; at most one replacement per slot, after which a stuck thread
 * keeps its slot and the worker runs with fewer.
 *
 * <p><b>Wake-ups.</b> The loop sleeps until a step finishes, or there may be work and a slot to run
 * it: a notification for one of its namespaces (event-driven and hybrid modes), the poll tick
 * (polling and hybrid modes), or a freed slot while work may still be waiting. "Work may be
 * waiting" is cleared just before a claim and set again by a notification, a tick, or a claim that
 * filled every slot it asked for, so a notification that arrives during a claim is never lost.
 * The poll tick comes {@code pollInterval} after the loop went idle; with a longer
 * {@code maxPollInterval}, each claim that finds nothing doubles that wait, up to the maximum, and
 * a claim that finds work sets it back, so idle workers poll less. Every statement that makes a
 * step claimable notifies, so the tick only matters for a notification lost (or in polling mode).
 *
 * <p><b>One answer per step.</b> A claimed step is settled exactly once, by whichever comes
 * first: its completion, its timeout (a retryable failure is recorded and the handler is told to
 * stop), the loss of its claim (seen by the heartbeat), or {@link #stop()} (the claim is
 * released). A completion that comes after its step was settled is counted and dropped. Anything
 * that goes wrong while preparing a step is recorded as the step's failure. A cycle the database
 * refuses is tried again with backoff for as long as the worker runs (see {@link #retryLater}),
 * so no step is lost or stuck, and an outage costs no attempt.
 *
 * <p><b>Heartbeat.</b> Every heartbeat interval one statement extends the leases of all steps in
 * flight, and another renews the worker's entry among the live workers ({@link RosterEntry}),
 * which says what it runs so a step nobody runs can be named. The entry is written at start and
 * deleted when the worker stops claiming.
 */
public final class WorkerCore {
    private static final Logger log = LoggerFactory.getLogger(WorkerCore.class);
    /** How long {@link #stop()} waits for results already being written when its deadline passes. */
    private static final Duration RECORDING_GRACE = Duration.ofSeconds(5);
    private static final long MIN_ERROR_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Short, so results are recorded soon after the database is back, before leases run out. */
    private static final long MAX_ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Where the core is in its life; {@link #statusName()} is what the worker status reports. */
    public enum State {
        RUNNING, GRACEFUL_SHUTDOWN, STOPPED;

        public String statusName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Steps claimed by cycles that recorded nothing, by cycles that recorded results (eagerly) and
     * by task creators in this process; results recorded; claims lost (found by the heartbeat, or
     * when recording); steps timed out; claims released on stop; results that could not be written
     * at all; and cycles, the transactions of the step path.
     */
    public record Counters(long claimed, long eagerlyClaimed, long recorded, long claimsLost, long timedOut,
                           long released, long recordErrors, long cycles, long claimedAtCreation) {}

    /** A claimed step from its claim until its answer; see "one answer per step". */
    private static final class InFlight {
        final ClaimedStep claim;
        final UUID eventId = Ids.newId();
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile ScheduledFuture<?> timeout;
        /** Set when the step was settled while its handler still ran: the handler's thread has the slot. */
        private volatile boolean slotWithHandler;

        InFlight(ClaimedStep claim) {
            this.claim = claim;
        }

        boolean settle() {
            return settled.compareAndSet(false, true);
        }

        boolean isSettled() {
            return settled.get();
        }

        void cancelTimeout() {
            ScheduledFuture<?> scheduled = timeout;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    /** A settled step waiting for the next cycle to record its outcome. */
    private record Finished(InFlight flight, StepOutcome outcome) {
        /** Whether recording it frees a slot for the next claim: not while its handler still has it. */
        boolean freesSlot() {
            return !flight.slotWithHandler;
        }
    }

    /** A step taken from a handler that had not returned then. */
    private record Withdrawn(ClaimedStep claim, long atNanos) {}

    private final WorkerConfig config;
    private final String workerId;
    private final Database database;
    private final DataSource dataSource;
    private final ResultRecorder recorder;
    private final TaskSequenceSteps steps;
    private final WorkerEventSystem eventSystem;
    private final Semaphore slots;
    private final RosterEntry rosterEntry;
    private final Map<UUID, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Withdrawn steps whose handler has not returned, by event id, with when they were withdrawn. */
    private final Map<UUID, Withdrawn> withdrawnRunning = new ConcurrentHashMap<>();
    /** Threads that did not stop within the cancel grace and have not returned since. */
    private final Set<UUID> stuck = ConcurrentHashMap.newKeySet();
    private final AtomicInteger replacedThreads = new AtomicInteger();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean workMayBeWaiting = new AtomicBoolean(true);
    private final Semaphore wakeUps = new Semaphore(0);
    /** Counted down when the worker stops, which cuts a backoff pause short. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object drained = new Object();
    private final ScheduledThreadPoolExecutor timers;
    private final Thread cycler;
    private final Object lifecycle = new Object();
    private volatile State state = State.RUNNING;
    /** How long the idle loop waits for a poll tick now; the cycle loop's alone. */
    private long pollWaitNanos;
    /** When a graceful shutdown stops waiting for steps in flight; set by its beginning. */
    private volatile long drainDeadline;
    private boolean started;
    private boolean stopping;
    private QueueListener listener;

    private final LongAdder claimed = new LongAdder();
    private final LongAdder eagerlyClaimed = new LongAdder();
    private final LongAdder claimedAtCreation = new LongAdder();
    private final LongAdder recorded = new LongAdder();
    private final LongAdder claimsLost = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder recordErrors = new LongAdder();
    private final LongAdder cycles = new LongAdder();
    private final LongAdder stuckTotal = new LongAdder();

    public WorkerCore(WorkerConfig config, Database database) {
        this.config = config;
        this.workerId = config.workerId();
        this.database = database;
        this.dataSource = database.dataSource();
        this.recorder = new ResultRecorder(dataSource);
        this.steps = new TaskSequenceSteps(dataSource);
        this.eventSystem = new WorkerEventSystem(workerId, this::complete, this::handlerReturned);
        this.slots = new Semaphore(config.maxConcurrentSteps());
        this.rosterEntry = new RosterEntry(dataSource, config, eventSystem);
        // Heartbeats and step timeouts; two threads, so settling a timed-out step never delays a heartbeat.
        this.timers = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().daemon().name("tasker-timer-" + workerId + "-", 1).factory());
        // Almost every step finishes before its timeout; cancelled timers must not pile up in the queue.
        this.timers.setRemoveOnCancelPolicy(true);
        this.cycler = Thread.ofPlatform().daemon().name("tasker-cycle-" + workerId).unstarted(this::cycleLoop);
    }

    /**
     * Joins the live workers, starts listening (when the mode listens), the heartbeat and the
     * cycle loop.
     *
     * @throws io.tasker.core.db.DatabaseException if the worker cannot list itself or the listener cannot connect
     */
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("worker " + workerId + " was already started");
            }
            started = true;
            rosterEntry.join();
            if (config.deploymentMode().listens()) {
                listener = QueueListener.start(database.url(), config.namespaces(), namespace -> signalWork());
            }
            long heartbeat = config.heartbeatInterval().toNanos();
            timers.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.NANOSECONDS);
            cycler.start();
        }
    }

    public WorkerEventSystem eventSystem() {
        return eventSystem;
    }

    public WorkerConfig config() {
        return config;
    }

    public State state() {
        return state;
    }

    /** Steps this worker holds right now, each in one handler slot. */
    public int inFlightSteps() {
        return inFlight.size();
    }

    /**
     * Handler threads that did not stop within the cancel grace after their step was cancelled,
     * and have not returned since; each is replaced by a new thread while there are replacements
     * left, or else holds its slot.
     */
    public int stuckHandlers() {
        return stuck.size();
    }

    /** Stuck handler threads since the worker started. */
    public long stuckHandlersTotal() {
        return stuckTotal.sum();
    }

    public Counters counters() {
        return new Counters(claimed.sum(), eagerlyClaimed.sum(), recorded.sum(), claimsLost.sum(), timedOut.sum(),
                released.sum(), recordErrors.sum(), cycles.sum(), claimedAtCreation.sum());
    }

    private void signalWork() {
        workMayBeWaiting.set(true);
        wakeUps.release();
    }

    // ---------------------------------------------------------------------------------------------
    // The cycle loop

    private void cycleLoop() {
        long errorBackoff = MIN_ERROR_BACKOFF_NANOS;
        pollWaitNanos = config.pollInterval().toNanos();
        while (true) {
            State current = state;
            List<Finished> batch = drainFinished();
            // Recording may make children ready, so a cycle that records always claims.
            boolean claiming = current == State.RUNNING && (workMayBeWaiting.get() || !batch.isEmpty());
            if (batch.isEmpty()) {
                if (current == State.STOPPED) {
                    return;
                }
                if (!claiming || slots.availablePermits() == 0) {
                    awaitWakeUp(current);
                    continue;
                }
            }
            int idle = claiming ? slots.drainPermits() : 0;
            int freed = (int) batch.stream().filter(Finished::freesSlot).count();
            int limit = claiming ? idle + freed : 0;
            if (batch.isEmpty() && limit == 0) {
                continue;
            }
            if (limit > 0) {
                workMayBeWaiting.set(false);
            }
            CycleResult result;
            try {
                result = recorder.cycle(workerId, batch.stream().map(f -> FinishedStep.of(f.flight.claim, f.outcome))
                        .toList(), limit > 0 ? claimFor(limit) : EagerClaim.none(workerId));
                errorBackoff = MIN_ERROR_BACKOFF_NANOS;
            } catch (RuntimeException e) {
                slots.release(idle);
                if (limit > 0) {
                    workMayBeWaiting.set(true);
                }
                retryLater(batch, e);
                pause(errorBackoff);
                errorBackoff = Math.min(errorBackoff * 2, MAX_ERROR_BACKOFF_NANOS);
                continue;
            }
            cycles.increment();
            settle(batch, result.recorded());
            List<ClaimedStep> next = result.claimed();
            if (limit > 0 && next.size() == limit) {
                workMayBeWaiting.set(true);
            }
            if (limit > 0) {
                adjustPollWait(!next.isEmpty());
            }
            (batch.isEmpty() ? claimed : eagerlyClaimed).add(next.size());
            releaseSlots(freed + idle - next.size());
            dispatch(next);
        }
    }

    /** Steps for {@code limit} slots, among the callables the handlers run now. */
    private EagerClaim claimFor(int limit) {
        return new EagerClaim(workerId, config.namespaces(), eventSystem.claimableCallables(), limit, config.lease());
    }

    private List<Finished> drainFinished() {
        List<Finished> batch = new ArrayList<>();
        for (Finished next; (next = finished.poll()) != null; ) {
            batch.add(next);
        }
        return batch;
    }

    /** Back to the poll interval after a claim that found work; else twice as long, up to the maximum. */
    private void adjustPollWait(boolean foundWork) {
        long min = config.pollInterval().toNanos();
        long max = config.maxPollInterval().toNanos();
        pollWaitNanos = foundWork ? min : Math.min(max, Math.max(min, pollWaitNanos) * 2);
    }

    private void awaitWakeUp(State current) {
        try {
            boolean woken = true;
            if (current == State.RUNNING && config.deploymentMode().polls()) {
                woken = wakeUps.tryAcquire(pollWaitNanos, TimeUnit.NANOSECONDS);
            } else {
                wakeUps.acquire();
            }
            wakeUps.drainPermits();
            if (!woken) {
                workMayBeWaiting.set(true);
            }
        } catch (InterruptedException e) {
            // Nothing interrupts this thread on purpose: the loop ends by its state alone.
            log.debug("cycle loop of worker {} interrupted", workerId);
        }
    }

    private void pause(long nanos) {
        try {
            stopped.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            log.debug("cycle loop of worker {} interrupted", workerId);
        }
    }

    /** Counts what a cycle recorded; each step leaves the worker's hands. */
    private void settle(List<Finished> batch, List<RecordResult> results) {
        for (int i = 0; i < batch.size(); i++) {
            InFlight flight = batch.get(i).flight;
            inFlight.remove(flight.claim.stepId(), flight);
            if (results.get(i).recorded()) {
                recorded.increment();
            } else {
                claimsLost.increment();
                log.warn("step {} ({}) finished, but worker {} no longer held its claim: the result was not recorded",
                        flight.claim.stepId(), flight.claim.stepName(), workerId);
            }
        }
    }

    /**
     * A cycle failed (the database is unreachable, say): its steps wait for the next one, for as
     * long as the worker runs. A finished step keeps its slot and its result meanwhile, and the
     * heartbeat keeps its lease once the database answers again; the result is recorded then,
     * unless its lease ran out and the step went to another worker first (the compare-and-swap
     * on the claim refuses it then). So an outage costs no attempt of a step whose handler
     * succeeded. Only a stopped worker gives up; its steps run again when their leases expire.
     */
    private void retryLater(List<Finished> batch, RuntimeException e) {
        if (state != State.STOPPED) {
            finished.addAll(batch);
            log.warn("worker {} cannot record {} step results, trying again: {}", workerId, batch.size(),
                    e.getMessage());
            return;
        }
        for (Finished step : batch) {
            recordErrors.increment();
            inFlight.remove(step.flight.claim.stepId(), step.flight);
            log.error("worker {} stopped before it could record the outcome of step {} ({}); it runs again when its "
                    + "lease expires", workerId, step.flight.claim.stepId(), step.flight.claim.stepName(), e);
        }
        releaseSlots((int) batch.stream().filter(Finished::freesSlot).count());
    }

    // ---------------------------------------------------------------------------------------------
    // Running claimed steps

    /** Prepares and publishes claimed steps; each already holds a slot. */
    private void dispatch(List<ClaimedStep> claims) {
        if (claims.isEmpty()) {
            return;
        }
        List<InFlight> flights = new ArrayList<>(claims.size());
        for (ClaimedStep claim : claims) {
            InFlight flight = new InFlight(claim);
            inFlight.put(claim.stepId(), flight);
            flights.add(flight);
        }
        List<Prepared> prepared = steps.prepare(claims);
        for (int i = 0; i < flights.size(); i++) {
            InFlight flight = flights.get(i);
            switch (prepared.get(i)) {
                case Prepared.Ready ready -> publish(flight, ready.step());
                case Prepared.Failed failed -> failPreparation(flight, failed.problem());
            }
        }
    }

    private void publish(InFlight flight, TaskSequenceStep step) {
        try {
            StepExecutionEvent event = new StepExecutionEvent(flight.eventId, step.taskUuid(), step.stepUuid(), step);
            int seconds = step.step().timeoutSeconds();
            flight.timeout = timers.schedule(() -> timeOut(flight, seconds), seconds, TimeUnit.SECONDS);
            // Under the flight's lock, so a step abandoned meanwhile is never handed out afterwards.
            synchronized (flight) {
                if (!flight.isSettled()) {
                    eventSystem.publish(event);
                }
            }
        } catch (RuntimeException e) {
            failPreparation(flight, e);
        }
    }

    private void failPreparation(InFlight flight, RuntimeException problem) {
        if (!flight.settle()) {
            return;
        }
        ClaimedStep claim = flight.claim;
        log.warn("worker {} cannot prepare step {} ({}) of task {}", workerId, claim.stepId(), claim.stepName(),
                claim.taskId(), problem);
        finish(flight, new StepOutcome.Failure("cannot prepare step '" + claim.stepName() + "' for its handler: "
                + ExceptionDetails.message(problem), problem.getClass().getName(), true, null,
                ExceptionDetails.of(problem)));
    }

    /** The event system's completion handler; false when the step was already settled. */
    private boolean complete(StepExecutionCompletionEvent completion) {
        InFlight flight = inFlight.get(completion.stepUuid());
        if (flight == null || !flight.eventId.equals(completion.eventId()) || !flight.settle()) {
            return false;
        }
        finish(flight, outcome(completion));
        return true;
    }

    private static StepOutcome outcome(StepExecutionCompletionEvent completion) {
        if (completion.checkpoint() != null) {
            StepExecutionCompletionEvent.Checkpoint saved = completion.checkpoint();
            return new StepOutcome.Checkpoint(saved.cursor(), saved.itemsProcessed(), saved.accumulatedResults());
        }
        if (completion.success()) {
            return new StepOutcome.Success(completion.result() == null ? NullNode.getInstance() : completion.result(),
                    completion.metadata());
        }
        String message = completion.errorMessage() == null || completion.errorMessage().isBlank()
                ? "the handler failed without a message" : completion.errorMessage();
        return new StepOutcome.Failure(message, completion.errorType(), completion.retryable(),
                completion.retryAfter(), completion.errorDetails());
    }

    private void timeOut(InFlight flight, int seconds) {
        if (!abandon(flight)) {
            return;
        }
        timedOut.increment();
        log.warn("step {} ({}) of task {} timed out after {} s", flight.claim.stepId(), flight.claim.stepName(),
                flight.claim.taskId(), seconds);
        finish(flight, new StepOutcome.Failure("step timed out after " + seconds + " s", "StepTimeout", true, null,
                Json.MAPPER.createObjectNode().put("timeout_seconds", seconds)));
    }

    /**
     * Settles a step without its completion and withdraws its event; false if it was already
     * settled. When its handler still runs, the slot stays with the handler's thread until it
     * returns (see "a slot is a thread").
     */
    private boolean abandon(InFlight flight) {
        synchronized (flight) {
            if (!flight.settle()) {
                return false;
            }
        }
        flight.cancelTimeout();
        // Registered first: the handler may return before withdraw does.
        withdrawnRunning.put(flight.eventId, new Withdrawn(flight.claim, System.nanoTime()));
        if (eventSystem.withdraw(flight.eventId).isPresent()) {
            flight.slotWithHandler = true;
            if (state == State.RUNNING) {
                watchForStuckThread(flight.eventId);
            }
        } else {
            withdrawnRunning.remove(flight.eventId);
        }
        return true;
    }

    /** Frees the slot of a settled step that recording does not free. */
    private void releaseSlotOf(InFlight flight) {
        releaseSlots(flight.slotWithHandler ? 0 : 1);
    }

    private void watchForStuckThread(UUID eventId) {
        try {
            timers.schedule(() -> checkStuck(eventId), config.cancelGrace().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            // The worker is stopping; a stuck thread no longer matters.
        }
    }

    private void checkStuck(UUID eventId) {
        Withdrawn step = withdrawnRunning.get(eventId);
        if (step == null || !stuck.add(eventId)) {
            return;
        }
        stuckTotal.increment();
        int slotsNow = config.maxConcurrentSteps();
        String what = "the handler of step " + step.claim().stepId() + " (" + step.claim().stepName() + ", "
                + step.claim().handlerCallable() + ") did not stop within " + config.cancelGrace().toSeconds()
                + " s after its step was cancelled; its thread is stuck";
        if (replacedThreads.incrementAndGet() <= slotsNow && eventSystem.replaceThread(eventId)) {
            log.warn("worker {}: {}: a new thread takes its place ({} of at most {} replacements)", workerId, what,
                    replacedThreads.get(), slotsNow);
            releaseSlots(1);
            return;
        }
        replacedThreads.decrementAndGet();
        log.error("worker {}: {}, and it keeps its slot: {} threads were replaced already, the most allowed; the "
                + "worker runs with fewer slots until they return", workerId, what, replacedThreads.get());
    }

    /** The event system's return handler: a withdrawn step's handler thread is free again. */
    private void handlerReturned(StepExecutionEvent event, boolean replaced) {
        Withdrawn step = withdrawnRunning.remove(event.eventId());
        if (stuck.remove(event.eventId()) && step != null) {
            log.info("worker {}: the stuck handler of step {} ({}) returned after {} s", workerId, event.stepUuid(),
                    step.claim().stepName(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - step.atNanos()));
        }
        if (replaced) {
            replacedThreads.decrementAndGet();
        } else {
            releaseSlots(1);
        }
    }

    /** Hands a settled step's outcome to the cycle loop, waking it when idle. */
    private void finish(InFlight flight, StepOutcome outcome) {
        flight.cancelTimeout();
        finished.add(new Finished(flight, outcome));
        wakeUps.release();
    }

    private void releaseSlots(int count) {
        if (count <= 0) {
            return;
        }
        slots.release(count);
        if (state == State.RUNNING) {
            if (workMayBeWaiting.get()) {
                wakeUps.release();
            }
        } else if (inFlight.isEmpty()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Slots lent to task creators in this process

    /**
     * Up to {@code max} idle slots for steps a task creator in this process claims in its own
     * transaction; null when the worker is not running or has none free. See {@link LocalDispatch}.
     */
    public LocalDispatch.Reservation reserve(int max) {
        if (state != State.RUNNING || max <= 0) {
            return null;
        }
        int taken = 0;
        while (taken < max && slots.tryAcquire()) {
            taken++;
        }
        if (taken == 0) {
            return null;
        }
        int reserved = taken;
        Collection<String> callables = eventSystem.claimableCallables();
        return new LocalDispatch.Reservation() {
            private final AtomicBoolean used = new AtomicBoolean();

            @Override
            public String workerId() {
                return workerId;
            }

            @Override
            public Collection<String> callables() {
                return callables;
            }

            @Override
            public int slots() {
                return reserved;
            }

            @Override
            public Duration lease() {
                return config.lease();
            }

            @Override
            public void dispatch(List<ClaimedStep> claimedSteps) {
                if (!used.compareAndSet(false, true)) {
                    throw new IllegalStateException("a slot reservation is dispatched once");
                }
                claimedAtCreation.add(claimedSteps.size());
                releaseSlots(reserved - claimedSteps.size());
                WorkerCore.this.dispatch(claimedSteps);
            }
        };
    }

    /** Whether this worker claims steps of {@code namespace} with one of {@code callables}. */
    public boolean serves(String namespace, Collection<String> callables) {
        if (!config.namespaces().contains(namespace)) {
            return false;
        }
        Set<String> own = eventSystem.claimableCallables();
        return own == null || callables.stream().anyMatch(own::contains);
    }

    // ---------------------------------------------------------------------------------------------
    // Leases, shutdown

    /** The callables this worker's handler layers run, sorted; null when one of them cannot list its own. */
    public Set<String> callables() {
        return rosterEntry.callables();
    }

    private void heartbeat() {
        rosterEntry.heartbeat();
        try {
            List<InFlight> held = List.copyOf(inFlight.values());
            if (held.isEmpty()) {
                return;
            }
            Set<UUID> stillHeld = StepQueue.extendLeases(dataSource,
                    held.stream().map(flight -> flight.claim.stepId()).toList(), workerId, config.lease());
            for (InFlight flight : held) {
                if (!stillHeld.contains(flight.claim.stepId()) && inFlight.get(flight.claim.stepId()) == flight
                        && abandon(flight)) {
                    claimsLost.increment();
                    inFlight.remove(flight.claim.stepId(), flight);
                    log.warn("worker {} lost its claim on step {} ({}); its handler was told to stop", workerId,
                            flight.claim.stepId(), flight.claim.stepName());
                    releaseSlotOf(flight);
                }
            }
        } catch (RuntimeException e) {
            log.warn("worker {} cannot extend its leases: {}", workerId, e.getMessage());
        }
    }

    /**
     * Stops claiming: the listener closes and cycles from now on record results but claim nothing.
     * Steps in flight run on and their results are recorded, until the shutdown timeout from now;
     * {@link #stop()} then releases what is left. A cycle already under way may still hand its
     * worker more steps, which run like any other in flight.
     */
    public void beginGracefulShutdown() {
        synchronized (lifecycle) {
            if (state != State.RUNNING) {
                return;
            }
            drainDeadline = System.nanoTime() + config.shutdownTimeout().toNanos();
            state = State.GRACEFUL_SHUTDOWN;
        }
        wakeUps.release();
        if (listener != null) {
            listener.close();
        }
        rosterEntry.leave();
        log.info("worker {} stopped claiming; {} steps in flight", workerId, inFlight.size());
    }

    /**
     * Waits until no step is in flight or the graceful shutdown's deadline passed (a shutdown must
     * have begun); true when none is left.
     */
    public boolean awaitDrained() {
        if (state == State.RUNNING) {
            throw new IllegalStateException("worker " + workerId + " is running: begin a graceful shutdown first");
        }
        return awaitDrained(drainDeadline);
    }

    /**
     * Stops the worker: stops claiming, waits until the shutdown timeout from the beginning of the
     * graceful shutdown for steps in flight to finish and be recorded, then withdraws the rest and
     * releases their claims, so they run again elsewhere without counting an attempt. Later calls
     * do nothing.
     */
    public void stop() {
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        beginGracefulShutdown();
        if (!awaitDrained(drainDeadline)) {
            List<InFlight> abandoned = new ArrayList<>();
            for (InFlight flight : List.copyOf(inFlight.values())) {
                if (abandon(flight)) {
                    inFlight.remove(flight.claim.stepId(), flight);
                    abandoned.add(flight);
                    releaseSlotOf(flight);
                }
            }
            releaseOnceReturned(abandoned);
            awaitDrained(System.nanoTime() + RECORDING_GRACE.toNanos());
        }
        state = State.STOPPED;
        stopped.countDown();
        wakeUps.release();
        if (cycler.isAlive() && Thread.currentThread() != cycler) {
            try {
                cycler.join(RECORDING_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timers.shutdownNow();
        Counters counters = counters();
        log.info("worker {} stopped: {} steps recorded in {} cycles, {} claims released, {} claims lost", workerId,
                counters.recorded(), counters.cycles(), counters.released(), counters.claimsLost());
    }

    /**
     * Gives back the claims of steps taken from their handlers, each once its handler returned, so
     * no other worker starts a step while its handler here still runs. A handler that does not
     * return within the cancel grace keeps its claim, which expires with its lease (the attempt
     * counted, as for a worker that died).
     */
    private void releaseOnceReturned(List<InFlight> abandoned) {
        long deadline = System.nanoTime() + config.cancelGrace().toNanos();
        List<InFlight> waiting = new ArrayList<>(abandoned);
        while (!waiting.isEmpty()) {
            for (Iterator<InFlight> it = waiting.iterator(); it.hasNext(); ) {
                InFlight flight = it.next();
                if (!flight.slotWithHandler || !withdrawnRunning.containsKey(flight.eventId)) {
                    releaseClaim(flight.claim);
                    it.remove();
                }
            }
            if (waiting.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            pause(TimeUnit.MILLISECONDS.toNanos(10));
        }
        for (InFlight flight : waiting) {
            log.warn("worker {}: the handler of step {} ({}) did not stop within {} s; its claim is kept and the step "
                    + "runs again when its lease expires", workerId, flight.claim.stepId(), flight.claim.stepName(),
                    config.cancelGrace().toSeconds());
        }
    }

    private void releaseClaim(ClaimedStep claim) {
        try {
            if (StepQueue.release(dataSource, claim.stepId(), workerId)) {
                released.increment();
                log.info("worker {} released step {} ({}) unfinished", workerId, claim.stepId(), claim.stepName());
            }
        } catch (RuntimeException e) {
            log.warn("worker {} cannot release step {}; it runs again when its lease expires: {}", workerId,
                    claim.stepId(), e.getMessage());
        }
    }

    private boolean awaitDrained(long deadline) {
        synchronized (drained) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return inFlight.isEmpty();
                }
            }
            return true;
        }
    }
}
