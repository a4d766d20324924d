package io.tasker.worker.internal;

import com.fasterxml.jackson.databind.node.NullNode;
import io.tasker.core.Ids;
import io.tasker.core.db.Database;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.QueueListener;
import io.tasker.core.queue.StepQueue;
import io.tasker.orchestration.EagerClaim;
import io.tasker.orchestration.RecordResult;
import io.tasker.orchestration.ResultRecorder;
import io.tasker.orchestration.StepOutcome;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.TaskSequenceStep;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.internal.TaskSequenceStepReader.Prepared;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine of one worker: claims steps, publishes them on the {@link WorkerEventSystem}, records
 * their results, keeps their leases alive and times them out.
 *
 * <p><b>Slots before claims.</b> A semaphore holds one permit per handler slot. The claim loop
 * takes every free permit, claims at most that many steps in one statement and gives back the
 * permits it did not use, so the worker never holds a step it has no slot for. A step keeps its
 * permit until its result is recorded. When the recording transaction eagerly claims a newly
 * ready child, the child inherits the permit and runs without a wake-up or a claim query.
 *
 * <p><b>Wake-ups.</b> The loop sleeps until there may be work and a slot to run it: a
 * notification for one of its namespaces (event-driven and hybrid modes), the poll tick (polling
 * and hybrid modes), or a freed slot while work may still be waiting. "Work may be waiting" is
 * cleared just before a claim and set again by a notification, a tick, or a claim that filled
 * every slot it asked for, so a notification that arrives during a claim is never lost and a full
 * batch is followed by another claim as soon as a slot frees.
 *
 * <p><b>One answer per step.</b> A claimed step is settled exactly once, by whichever comes
 * first: its completion, its timeout (a retryable failure is recorded and the handler is told to
 * stop), the loss of its claim (seen by the heartbeat), or {@link #stop()} (the claim is
 * released). A completion that comes after its step was settled is counted and dropped. Anything
 * that goes wrong while preparing a step is recorded as the step's failure; if even recording
 * fails, the step's lease runs out and it is claimed again, so no step is lost or stuck.
 *
 * <p><b>Heartbeat.</b> Every heartbeat interval one statement extends the leases of all steps in
 * flight.
 */
public final class WorkerCore {
    private static final Logger log = LoggerFactory.getLogger(WorkerCore.class);
    /** How long {@link #stop()} waits for results already being written when its deadline passes. */
    private static final Duration RECORDING_GRACE = Duration.ofSeconds(5);
    private static final long MIN_ERROR_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** PostgreSQL's class of data exceptions: a value the column cannot hold, such as a NUL in jsonb. */
    private static final String DATA_EXCEPTION = "22";

    /** Where the core is in its life; {@link #statusName()} is what the worker status reports. */
    public enum State {
        RUNNING, GRACEFUL_SHUTDOWN, STOPPED;

        public String statusName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Steps claimed by the claim loop and eagerly by recording transactions, results recorded,
     * claims lost (found by the heartbeat, or when recording), steps timed out, claims released on
     * stop, and results that could not be written at all.
     */
    public record Counters(long claimed, long eagerlyClaimed, long recorded, long claimsLost, long timedOut,
                           long released, long recordErrors) {}

    /** A claimed step from its claim until its answer; see "one answer per step". */
    private static final class InFlight {
        final ClaimedStep claim;
        final UUID eventId = Ids.newId();
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile ScheduledFuture<?> timeout;

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

    private final WorkerConfig config;
    private final String workerId;
    private final Database database;
    private final DataSource dataSource;
    private final ResultRecorder recorder;
    private final TaskSequenceStepReader reader;
    private final WorkerEventSystem eventSystem;
    private final EagerClaim noEagerClaim;
    private final Semaphore slots;
    private final Map<UUID, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean workMayBeWaiting = new AtomicBoolean(true);
    private final Semaphore wakeUps = new Semaphore(0);
    private final CountDownLatch claimingStopped = new CountDownLatch(1);
    private final Object drained = new Object();
    private final ScheduledThreadPoolExecutor timers;
    private final Thread claimer;
    private final Object lifecycle = new Object();
    private volatile State state = State.RUNNING;
    private boolean started;
    private boolean stopping;
    private QueueListener listener;

    private final LongAdder claimed = new LongAdder();
    private final LongAdder eagerlyClaimed = new LongAdder();
    private final LongAdder recorded = new LongAdder();
    private final LongAdder claimsLost = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder recordErrors = new LongAdder();

    public WorkerCore(WorkerConfig config, Database database) {
        this.config = config;
        this.workerId = config.workerId();
        this.database = database;
        this.dataSource = database.dataSource();
        this.recorder = new ResultRecorder(dataSource);
        this.reader = new TaskSequenceStepReader(dataSource);
        this.eventSystem = new WorkerEventSystem(workerId, this::complete);
        this.noEagerClaim = EagerClaim.none(workerId);
        this.slots = new Semaphore(config.maxConcurrentSteps());
        // Heartbeats and step timeouts; two threads, so recording a timed-out step never delays a heartbeat.
        this.timers = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().daemon().name("tasker-timer-" + workerId + "-", 1).factory());
        // Almost every step finishes before its timeout; cancelled timers must not pile up in the queue.
        this.timers.setRemoveOnCancelPolicy(true);
        this.claimer = Thread.ofPlatform().daemon().name("tasker-claimer-" + workerId).unstarted(this::claimLoop);
    }

    /**
     * Starts listening (when the mode listens), the heartbeat and the claim loop.
     *
     * @throws io.tasker.core.db.DatabaseException if the listener cannot connect
     */
    public void start() {
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("worker " + workerId + " was already started");
            }
            started = true;
            if (config.deploymentMode().listens()) {
                listener = QueueListener.start(database.url(), config.namespaces(), namespace -> signalWork());
            }
            long heartbeat = config.heartbeatInterval().toNanos();
            timers.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.NANOSECONDS);
            claimer.start();
        }
    }

    /** One step for the slot a recording frees, among the callables the handlers run now. */
    private EagerClaim eagerClaim() {
        return new EagerClaim(workerId, config.namespaces(), eventSystem.claimableCallables(), 1, config.lease());
    }

    public WorkerEventSystem eventSystem() {
        return eventSystem;
    }

    public State state() {
        return state;
    }

    /** Steps this worker holds right now, each in one handler slot. */
    public int inFlightSteps() {
        return inFlight.size();
    }

    public Counters counters() {
        return new Counters(claimed.sum(), eagerlyClaimed.sum(), recorded.sum(), claimsLost.sum(), timedOut.sum(),
                released.sum(), recordErrors.sum());
    }

    private void signalWork() {
        workMayBeWaiting.set(true);
        wakeUps.release();
    }

    private void claimLoop() {
        long errorBackoff = MIN_ERROR_BACKOFF_NANOS;
        while (state == State.RUNNING) {
            if (!workMayBeWaiting.get() || slots.availablePermits() == 0) {
                awaitWakeUp();
            } else if (claimBatch()) {
                errorBackoff = MIN_ERROR_BACKOFF_NANOS;
            } else {
                pauseClaiming(errorBackoff);
                errorBackoff = Math.min(errorBackoff * 2, MAX_ERROR_BACKOFF_NANOS);
            }
        }
    }

    private void awaitWakeUp() {
        try {
            boolean woken = true;
            if (config.deploymentMode().polls()) {
                woken = wakeUps.tryAcquire(config.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
            } else {
                wakeUps.acquire();
            }
            wakeUps.drainPermits();
            if (!woken) {
                workMayBeWaiting.set(true);
            }
        } catch (InterruptedException e) {
            // Nothing interrupts this thread on purpose: the loop ends by its state alone.
            log.debug("claim loop of worker {} interrupted", workerId);
        }
    }

    private void pauseClaiming(long nanos) {
        try {
            claimingStopped.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            log.debug("claim loop of worker {} interrupted", workerId);
        }
    }

    /** Claims as many steps as there are free slots; false if the claim failed. */
    private boolean claimBatch() {
        int free = slots.drainPermits();
        if (free == 0) {
            return true;
        }
        workMayBeWaiting.set(false);
        List<ClaimedStep> batch;
        try {
            batch = StepQueue.claim(dataSource, workerId, config.namespaces(), eventSystem.claimableCallables(), free,
                    config.lease());
        } catch (RuntimeException e) {
            slots.release(free);
            workMayBeWaiting.set(true);
            log.warn("worker {} cannot claim steps, trying again: {}", workerId, e.getMessage());
            return false;
        }
        if (batch.size() == free) {
            workMayBeWaiting.set(true);
        }
        slots.release(free - batch.size());
        claimed.add(batch.size());
        if (!batch.isEmpty()) {
            dispatch(batch);
        }
        return true;
    }

    /** Prepares and publishes claimed steps; each already holds a slot. */
    private void dispatch(List<ClaimedStep> claims) {
        List<InFlight> flights = new ArrayList<>(claims.size());
        for (ClaimedStep claim : claims) {
            InFlight flight = new InFlight(claim);
            inFlight.put(claim.stepId(), flight);
            flights.add(flight);
        }
        List<Prepared> prepared = reader.prepare(claims);
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
        record(flight, new StepOutcome.Failure("cannot prepare step '" + claim.stepName() + "' for its handler: "
                + ExceptionDetails.message(problem), problem.getClass().getName(), true, null,
                ExceptionDetails.of(problem)));
    }

    /** The event system's completion handler; false when the step was already settled. */
    private boolean complete(StepExecutionCompletionEvent completion) {
        InFlight flight = inFlight.get(completion.stepUuid());
        if (flight == null || !flight.eventId.equals(completion.eventId()) || !flight.settle()) {
            return false;
        }
        record(flight, outcome(completion));
        return true;
    }

    private static StepOutcome outcome(StepExecutionCompletionEvent completion) {
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
        record(flight, new StepOutcome.Failure("step timed out after " + seconds + " s", "StepTimeout", true, null,
                Json.MAPPER.createObjectNode().put("timeout_seconds", seconds)));
    }

    /** Settles a step without its completion and withdraws its event; false if it was already settled. */
    private boolean abandon(InFlight flight) {
        synchronized (flight) {
            if (!flight.settle()) {
                return false;
            }
        }
        flight.cancelTimeout();
        eventSystem.withdraw(flight.eventId);
        return true;
    }

    /**
     * Records a settled step's outcome and moves its slot on: to the step the same transaction
     * claimed eagerly (one at most, as {@link #eagerClaim()} asks), or back to the pool.
     */
    private void record(InFlight flight, StepOutcome outcome) {
        flight.cancelTimeout();
        RecordResult result = store(flight, outcome);
        inFlight.remove(flight.claim.stepId(), flight);
        List<ClaimedStep> next = result == null ? List.of() : result.eagerlyClaimed();
        if (next.isEmpty()) {
            releaseSlot();
        } else {
            eagerlyClaimed.add(next.size());
            dispatch(next);
        }
    }

    /** Writes the outcome; null when it could not be written, and the lease will bring the step back. */
    private RecordResult store(InFlight flight, StepOutcome outcome) {
        UUID stepId = flight.claim.stepId();
        EagerClaim eager = state == State.RUNNING ? eagerClaim() : noEagerClaim;
        RecordResult result;
        try {
            result = recorder.record(stepId, workerId, outcome, eager);
        } catch (RuntimeException e) {
            if (!unstorable(e)) {
                return recordError(flight, e);
            }
            log.warn("the outcome of step {} cannot be stored ({}); recording a failure instead", stepId,
                    e.getMessage());
            try {
                result = recorder.record(stepId, workerId, new StepOutcome.Failure(
                        "the step's outcome cannot be stored: " + ExceptionDetails.message(e), "OutcomeNotStorable",
                        false, null, null), eager);
            } catch (RuntimeException again) {
                return recordError(flight, again);
            }
        }
        if (result.recorded()) {
            recorded.increment();
        } else {
            claimsLost.increment();
            log.warn("step {} ({}) finished, but worker {} no longer held its claim: the result was not recorded",
                    stepId, flight.claim.stepName(), workerId);
        }
        return result;
    }

    private RecordResult recordError(InFlight flight, RuntimeException e) {
        recordErrors.increment();
        log.error("worker {} could not record the outcome of step {} ({}); it runs again when its lease expires",
                workerId, flight.claim.stepId(), flight.claim.stepName(), e);
        return null;
    }

    /** Whether the recorder refused the outcome itself (not JSON, or a value jsonb cannot hold). */
    private static boolean unstorable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith(DATA_EXCEPTION)) {
                return true;
            }
        }
        return false;
    }

    private void releaseSlot() {
        slots.release();
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

    private void heartbeat() {
        try {
            List<InFlight> held = List.copyOf(inFlight.values());
            if (held.isEmpty()) {
                return;
            }
            Set<UUID> stillHeld = StepQueue.extendLeases(dataSource,
                    held.stream().map(flight -> flight.claim.stepId()).toList(), workerId, config.lease());
            for (InFlight flight : held) {
                if (!stillHeld.contains(flight.claim.stepId()) && abandon(flight)) {
                    claimsLost.increment();
                    inFlight.remove(flight.claim.stepId(), flight);
                    log.warn("worker {} lost its claim on step {} ({}); its handler was told to stop", workerId,
                            flight.claim.stepId(), flight.claim.stepName());
                    releaseSlot();
                }
            }
        } catch (RuntimeException e) {
            log.warn("worker {} cannot extend its leases: {}", workerId, e.getMessage());
        }
    }

    /**
     * Stops claiming: the claim loop ends, the listener closes, and results recorded from now on
     * claim no children. Steps in flight run on and their results are recorded. When this returns
     * the claim loop has ended; a recording transaction already under way may still hand its
     * worker one more step, which runs like any other in flight.
     */
    public void beginGracefulShutdown() {
        synchronized (lifecycle) {
            if (state != State.RUNNING) {
                return;
            }
            state = State.GRACEFUL_SHUTDOWN;
        }
        claimingStopped.countDown();
        wakeUps.release();
        if (claimer.isAlive() && Thread.currentThread() != claimer) {
            try {
                claimer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (listener != null) {
            listener.close();
        }
        log.info("worker {} stopped claiming; {} steps in flight", workerId, inFlight.size());
    }

    /**
     * Stops the worker: stops claiming, waits up to the shutdown timeout for steps in flight, then
     * withdraws the rest and releases their claims, so they run again elsewhere without counting
     * an attempt. Later calls do nothing.
     */
    public void stop() {
        synchronized (lifecycle) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        beginGracefulShutdown();
        if (!awaitDrained(config.shutdownTimeout())) {
            for (InFlight flight : List.copyOf(inFlight.values())) {
                if (abandon(flight)) {
                    inFlight.remove(flight.claim.stepId(), flight);
                    releaseClaim(flight.claim);
                    releaseSlot();
                }
            }
            awaitDrained(RECORDING_GRACE);
        }
        state = State.STOPPED;
        timers.shutdownNow();
        Counters counters = counters();
        log.info("worker {} stopped: {} steps recorded, {} claims released, {} claims lost", workerId,
                counters.recorded(), counters.released(), counters.claimsLost());
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

    private boolean awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (!inFlight.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return inFlight.isEmpty();
                }
            }
            return true;
        }
    }
}
