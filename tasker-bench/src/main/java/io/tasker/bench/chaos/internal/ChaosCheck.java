package io.tasker.bench.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.bench.chaos.ChaosFindings;
import io.tasker.bench.chaos.internal.ChaosData.AttemptRow;
import io.tasker.bench.chaos.internal.ChaosData.PlannedTask;
import io.tasker.bench.chaos.internal.ChaosData.StepRow;
import io.tasker.bench.chaos.internal.ChaosData.TaskRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks of a chaos run, from its data alone (see {@link ChaosData}):
 *
 * <ul>
 *   <li><b>lost</b>: every planned task exists and is {@code complete};
 *   <li><b>wrong</b>: every recorded step value is the one the workflow's arithmetic gives;
 *   <li><b>recorded twice</b>: each step's recorded result is the one returned by a journaled
 *       execution of that step at the recorded attempt, no execution of it started after its
 *       result was recorded, every child read the parent result that is recorded, and each task
 *       finished once;
 *   <li><b>overlaps</b>: no two executions of one step ran at the same time, an execution cut by
 *       the death of its process ending when the driver saw the process gone; an overlap after
 *       the first holder's lease expired (the database says so in the attempt's history) is
 *       allowed and counted apart;
 *   <li><b>re-executions</b>: each execution that did not give the recorded result is put down to
 *       the fault that explains it, or to none.
 * </ul>
 */
final class ChaosCheck {
    /** How long the server's lease sweeper may take to requeue a claim that ran out, with margin. */
    private static final long SWEEP_MICROS = 10_000_000;

    private final ChaosData data;
    private final Map<UUID, TaskRow> tasks;
    private final Map<UUID, Map<String, StepRow>> stepsByTask = new HashMap<>();
    private final Map<UUID, List<Execution>> executionsByStep;
    private final Map<String, Execution> executionsByRun;
    private final Map<Long, ProcessLife> processes;
    private final Map<UUID, List<AttemptRow>> attemptsByStep;
    private final Map<Integer, Fault> faults;

    private final List<String> lost = new ArrayList<>();
    private final List<String> wrong = new ArrayList<>();
    private final List<String> recordedTwice = new ArrayList<>();
    private final List<String> overlaps = new ArrayList<>();
    private final List<String> overlapsAfterLeaseExpiry = new ArrayList<>();
    private final Map<Cause, Integer> reExecutions = new EnumMap<>(Cause.class);
    private final Map<Integer, Integer> reExecutionsByFault = new TreeMap<>();
    private final List<String> unexpected = new ArrayList<>();

    private ChaosCheck(ChaosData data) {
        this.data = data;
        this.tasks = data.tasks().stream().collect(Collectors.toMap(TaskRow::id, Function.identity()));
        for (StepRow step : data.steps()) {
            stepsByTask.computeIfAbsent(step.task(), t -> new HashMap<>()).put(step.name(), step);
        }
        this.executionsByStep = data.executions().stream()
                .sorted(Comparator.comparingLong(Execution::startMicros))
                .collect(Collectors.groupingBy(Execution::step));
        this.executionsByRun = data.executions().stream()
                .collect(Collectors.toMap(Execution::run, Function.identity()));
        this.processes = data.processes().stream().collect(Collectors.toMap(ProcessLife::pid, Function.identity()));
        this.attemptsByStep = data.attempts().stream().collect(Collectors.groupingBy(AttemptRow::step));
        this.faults = data.faults().stream().collect(Collectors.toMap(Fault::id, Function.identity()));
    }

    static Verdict check(ChaosData data) {
        return new ChaosCheck(data).run();
    }

    private Verdict run() {
        int completed = 0;
        for (PlannedTask planned : data.planned()) {
            if (checkTask(planned)) {
                completed++;
            }
        }
        for (StepRow step : data.steps()) {
            checkOverlaps(step);
            attributeReExecutions(step);
        }
        return new Verdict(data.planned().size(), completed, data.steps().size(), data.executions().size(),
                new ChaosFindings(lost, wrong, recordedTwice, overlaps, overlapsAfterLeaseExpiry, unexpected),
                reExecutions, reExecutionsByFault);
    }

    /** The task's end, values and recording; true when it completed. */
    private boolean checkTask(PlannedTask planned) {
        if (planned.id() == null) {
            lost.add(planned.describe() + ": never created, the API did not accept it before the deadline");
            return false;
        }
        TaskRow task = tasks.get(planned.id());
        if (task == null) {
            lost.add(planned.describe() + ": the API answered with its id, but the database has no such task");
            return false;
        }
        if (!task.namespace().equals(planned.namespace()) || !task.name().equals(planned.workflow().name())
                || task.context().path("input").asLong() != planned.input()) {
            wrong.add(planned.describe() + ": the database holds " + task.namespace() + "/" + task.name()
                    + " with context " + task.context() + ", not the task that was asked for");
            return false;
        }
        Map<String, StepRow> steps = stepsByTask.getOrDefault(task.id(), Map.of());
        boolean complete = "complete".equals(task.state());
        if (!complete) {
            lost.add(planned.describe() + ": " + task.state() + ", steps " + steps.values().stream()
                    .map(s -> s.name() + " " + s.state() + " (attempt " + s.attempts() + ")")
                    .sorted().collect(Collectors.joining(", ")));
        }
        Map<String, Long> expected = planned.workflow().expectedValues(planned.input());
        for (Workflow.Step definition : planned.workflow().steps()) {
            StepRow step = steps.get(definition.name());
            if (step == null) {
                wrong.add(planned.describe() + ": no step " + definition.name());
            } else if ("complete".equals(step.state())) {
                checkValue(planned, step, expected.get(step.name()));
                checkRecording(planned, step, steps);
            }
        }
        int finishes = data.transitions().getOrDefault(task.id(), 0);
        if (complete && finishes != 1) {
            recordedTwice.add(planned.describe() + ": finished " + finishes + " times (rows in its history)");
        }
        return complete;
    }

    private void checkValue(PlannedTask planned, StepRow step, long expected) {
        JsonNode value = step.results() == null ? null : step.results().get("value");
        if (value == null || !value.isIntegralNumber() || value.asLong() != expected) {
            wrong.add(planned.describe() + " step " + step.name() + ": recorded value " + value + ", expected "
                    + expected);
        }
    }

    private void checkRecording(PlannedTask planned, StepRow step, Map<String, StepRow> steps) {
        String where = planned.describe() + " step " + step.name() + " (" + step.id() + ")";
        String run = recordedRun(step);
        Execution recorded = run == null ? null : executionsByRun.get(run);
        if (recorded == null) {
            recordedTwice.add(where + ": its recorded result names run " + run + ", which no handler journaled");
        } else if (!recorded.step().equals(step.id())) {
            recordedTwice.add(where + ": its recorded result is from run " + run + " of step " + recorded.step());
        } else if (recorded.attempt() != step.attempts()) {
            recordedTwice.add(where + ": recorded at attempt " + step.attempts() + ", but its result is from run "
                    + run + " of attempt " + recorded.attempt());
        } else if (!recorded.succeeded()) {
            recordedTwice.add(where + ": its recorded result is from run " + run + ", which ended "
                    + (recorded.ended() ? recorded.outcome() : "never"));
        }
        if (step.completedMicros() != null) {
            for (Execution execution : executionsByStep.getOrDefault(step.id(), List.of())) {
                if (execution.startMicros() > step.completedMicros()) {
                    recordedTwice.add(where + ": run " + execution.run() + " (pid " + execution.pid()
                            + ") started " + millis(execution.startMicros() - step.completedMicros())
                            + " ms after its result was recorded");
                }
            }
        }
        for (String parent : planned.workflow().parentsOf(step.name())) {
            StepRow parentRow = steps.get(parent);
            String seen = step.results().path("seen").path(parent).asText(null);
            String parentRun = parentRow == null ? null : recordedRun(parentRow);
            if (seen == null || !seen.equals(parentRun)) {
                recordedTwice.add(where + ": read the result of its parent " + parent + " from run " + seen
                        + ", but the result recorded is from run " + parentRun);
            }
        }
    }

    private static String recordedRun(StepRow step) {
        return "complete".equals(step.state()) && step.results() != null ? step.results().path("run").asText(null)
                : null;
    }

    private void checkOverlaps(StepRow step) {
        List<Execution> executions = executionsByStep.getOrDefault(step.id(), List.of());
        for (int i = 0; i < executions.size(); i++) {
            Execution first = executions.get(i);
            long firstEnd = endOf(first);
            for (int j = i + 1; j < executions.size(); j++) {
                Execution second = executions.get(j);
                if (second.startMicros() >= firstEnd) {
                    break;
                }
                String line = "step " + step.name() + " (" + step.id() + ") of task " + step.task() + ": run "
                        + describe(first) + " and run " + describe(second) + " overlap by "
                        + millis(Math.min(firstEnd, endOf(second)) - second.startMicros()) + " ms"
                        + howClaimEnded(step, first);
                (leaseExpired(step, first, second) ? overlapsAfterLeaseExpiry : overlaps).add(line);
            }
        }
    }

    /** Whether the database says the first's claim was lost to an expired lease before the second's attempt. */
    private boolean leaseExpired(StepRow step, Execution first, Execution second) {
        return second.attempt() > first.attempt() && attemptsByStep.getOrDefault(step.id(), List.of()).stream()
                .anyMatch(a -> a.attempt() == first.attempt() && "lease_expired".equals(a.reason()));
    }

    /** What the database says ended the first run's claim, which is what let the second start. */
    private String howClaimEnded(StepRow step, Execution first) {
        List<String> reasons = attemptsByStep.getOrDefault(step.id(), List.of()).stream()
                .filter(a -> a.attempt() == first.attempt())
                .map(a -> a.reason() != null ? a.reason() : a.outcome())
                .toList();
        return reasons.isEmpty() ? "; the database has no end of attempt " + first.attempt() + " in its history"
                : "; the database has attempt " + first.attempt() + " ended as " + String.join(", then ", reasons);
    }

    private String describe(Execution execution) {
        return execution.run() + " (pid " + execution.pid() + ", attempt " + execution.attempt() + ", "
                + (execution.ended() ? execution.outcome() : "cut by the end of its process") + ")";
    }

    /** When an execution ended: its end line, else when its process was seen gone, else the run's end. */
    private long endOf(Execution execution) {
        if (execution.ended()) {
            return execution.endMicros();
        }
        ProcessLife life = processes.get(execution.pid());
        return life != null && life.endedMicros() != null ? life.endedMicros() : data.endMicros();
    }

    private void attributeReExecutions(StepRow step) {
        String recorded = recordedRun(step);
        for (Execution execution : executionsByStep.getOrDefault(step.id(), List.of())) {
            if (execution.run().equals(recorded)) {
                continue;
            }
            Attribution attribution = attribute(execution);
            reExecutions.merge(attribution.cause(), 1, Integer::sum);
            if (attribution.fault() > 0) {
                reExecutionsByFault.merge(attribution.fault(), 1, Integer::sum);
            }
            if (!attribution.cause().expected()) {
                unexpected.add("step " + step.name() + " (" + step.id() + ") of task " + step.task() + ", run "
                        + describe(execution) + ": " + attribution.cause().description());
            }
        }
    }

    private record Attribution(Cause cause, int fault) {}

    private Attribution attribute(Execution execution) {
        ProcessLife life = processes.get(execution.pid());
        Optional<Fault> ending = Optional.ofNullable(life).map(l -> faults.get(l.fault()));
        ProcessLife.Ending how = life == null ? ProcessLife.Ending.RUNNING : life.ending();
        int fault = life == null ? 0 : life.fault();
        if (!execution.ended()) {
            if (how == ProcessLife.Ending.KILLED) {
                return new Attribution(Cause.KILLED_RUNNING, fault);
            }
            if (how == ProcessLife.Ending.TERMINATED) {
                return new Attribution(Cause.RELEASED_ON_SIGTERM, fault);
            }
        } else if (execution.succeeded()) {
            if (how == ProcessLife.Ending.KILLED && life.endedMicros() >= execution.endMicros()) {
                return new Attribution(Cause.KILLED_BEFORE_RECORDING, fault);
            }
            if (how == ProcessLife.Ending.TERMINATED && ending.isPresent()
                    && execution.endMicros() >= ending.get().atMicros()) {
                boolean tooLate = execution.endMicros() > ending.get().atMicros() + data.shutdownTimeoutMicros();
                return new Attribution(tooLate ? Cause.RELEASED_ON_SIGTERM : Cause.NOT_RECORDED_ON_SIGTERM, fault);
            }
        } else if ("cancelled".equals(execution.outcome()) && how == ProcessLife.Ending.TERMINATED
                && ending.isPresent() && execution.endMicros() >= ending.get().atMicros()) {
            return new Attribution(Cause.RELEASED_ON_SIGTERM, fault);
        }
        long end = endOf(execution);
        for (Fault outage : data.faults()) {
            if (outage.kind().stopsDatabase() && execution.startMicros() <= outage.recoveredMicros()
                    + data.leaseMicros() + SWEEP_MICROS && end >= outage.atMicros() - data.leaseMicros()) {
                return new Attribution(Cause.DATABASE_OUTAGE, outage.id());
            }
        }
        return new Attribution(Cause.UNEXPLAINED, 0);
    }

    private static long millis(long micros) {
        return micros / 1000;
    }
}
