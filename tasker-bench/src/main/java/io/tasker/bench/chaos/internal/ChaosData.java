package io.tasker.bench.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the checks of a chaos run read: what the driver meant to run and did, what the
 * database recorded, and what the handlers journaled. Plain data, so the checks can be shown to
 * catch a planted fault without running anything.
 *
 * @param planned the tasks the driver meant to create, with the id of each it did create
 * @param transitions how many history rows each task has: one (in_progress to complete) for a task
 *     that finished once
 * @param leaseMicros the workers' lease, to tell whose claim may have run out during an outage
 * @param shutdownTimeoutMicros the workers' shutdown timeout
 * @param endMicros when the run stopped its processes
 */
record ChaosData(List<PlannedTask> planned, List<TaskRow> tasks, List<StepRow> steps,
                        List<AttemptRow> attempts, Map<UUID, Integer> transitions, List<Execution> executions,
                        List<ProcessLife> processes, List<Fault> faults, long leaseMicros,
                        long shutdownTimeoutMicros, long endMicros) {

    public ChaosData {
        planned = List.copyOf(planned);
        tasks = List.copyOf(tasks);
        steps = List.copyOf(steps);
        attempts = List.copyOf(attempts);
        transitions = Map.copyOf(transitions);
        executions = List.copyOf(executions);
        processes = List.copyOf(processes);
        faults = List.copyOf(faults);
    }

    /** A task the driver creates: number {@code n} of the run, of {@code workflow} in {@code namespace}. */
    record PlannedTask(int n, String namespace, Workflow workflow, long input, UUID id) {
        PlannedTask created(UUID taskId) {
            return new PlannedTask(n, namespace, workflow, input, taskId);
        }

        String describe() {
            return "task #" + n + " (" + namespace + "/" + workflow.name() + (id == null ? "" : ", " + id) + ")";
        }
    }

    record TaskRow(UUID id, String namespace, String name, String state, JsonNode context) {}

    /** A step as its row holds it: its last attempt, who held it and its result. */
    record StepRow(UUID id, UUID task, String name, String state, int attempts, String claimedBy,
                          JsonNode results, Long completedMicros) {}

    /** An attempt that did not end its step ({@code tasker_step_attempts}). */
    record AttemptRow(UUID step, int attempt, String worker, String outcome, String reason) {}
}
