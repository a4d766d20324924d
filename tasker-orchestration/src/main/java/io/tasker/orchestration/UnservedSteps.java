package io.tasker.orchestration;

import io.tasker.core.queue.WorkerRoster;
import io.tasker.core.queue.WorkerRoster.LiveWorker;
import io.tasker.core.state.StepState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The steps of a task that wait for a worker none of the live workers is: no worker that serves
 * the task's namespace advertises the step's callable ({@link WorkerRoster}). A typo in a
 * template's callable, or a worker not started, shows here instead of as a task that waits forever.
 *
 * <p>Read per task created or shown, never on the step path. The live workers are read at most
 * once every {@code maxAge} while every step is served; a step that looks unserved is checked
 * against a fresh read, so a worker that just started is never reported missing. A worker that
 * just went away is noticed within {@code maxAge}.
 */
public final class UnservedSteps {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(UnservedSteps.class);
    private static final Set<StepState> WAITING = Set.of(StepState.PENDING, StepState.ENQUEUED,
            StepState.WAITING_FOR_RETRY);

    private record Roster(List<LiveWorker> workers, long readAtNanos) {
        boolean runs(String namespace, String callable) {
            return workers.stream().anyMatch(worker -> worker.runs(namespace, callable));
        }
    }

    private final DataSource dataSource;
    private final long maxAgeNanos;
    private volatile Roster roster;

    public UnservedSteps(DataSource dataSource) {
        this(dataSource, DEFAULT_MAX_AGE);
    }

    public UnservedSteps(DataSource dataSource, Duration maxAge) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** What to tell a user of a step that no live worker runs. */
    public static String note(String callable) {
        return "no live worker runs `" + callable + "`";
    }

    /**
     * The steps of {@code task} that wait to run (pending, enqueued, waiting for a retry) and that
     * no live worker runs, each with its {@link #note}, by step id in template order. Empty when
     * the live workers cannot be read: the note is advice, and its absence must not fail a request.
     */
    public Map<UUID, String> of(TaskView task) {
        List<StepView> waiting = task.steps().stream().filter(step -> WAITING.contains(step.state())).toList();
        if (waiting.isEmpty()) {
            return Map.of();
        }
        try {
            Roster cached = roster;
            boolean fresh = cached == null || System.nanoTime() - cached.readAtNanos() >= maxAgeNanos;
            Map<UUID, String> notes = unserved(task.namespace(), waiting, fresh ? read() : cached);
            return notes.isEmpty() || fresh ? notes : unserved(task.namespace(), waiting, read());
        } catch (RuntimeException e) {
            log.warn("cannot read the live workers to check the steps of task {}: {}", task.id(), e.getMessage());
            return Map.of();
        }
    }

    /** {@code notes}, as {@link #of} found them for {@code task}, one line a step: "no live worker runs `X` (step y)". */
    public static List<String> warnings(TaskView task, Map<UUID, String> notes) {
        return task.steps().stream().filter(step -> notes.containsKey(step.id()))
                .map(step -> notes.get(step.id()) + " (step " + step.name() + ")")
                .toList();
    }

    private static Map<UUID, String> unserved(String namespace, List<StepView> steps, Roster roster) {
        Map<UUID, String> notes = new LinkedHashMap<>();
        for (StepView step : steps) {
            if (!roster.runs(namespace, step.handlerCallable())) {
                notes.put(step.id(), note(step.handlerCallable()));
            }
        }
        return notes;
    }

    private Roster read() {
        Roster current = new Roster(WorkerRoster.live(dataSource), System.nanoTime());
        roster = current;
        return current;
    }
}
