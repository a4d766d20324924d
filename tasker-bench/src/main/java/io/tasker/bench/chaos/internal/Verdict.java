package io.tasker.bench.chaos.internal;

import io.tasker.bench.chaos.ChaosFindings;

import java.util.Map;

/**
 * What the checks of a chaos run found, with the counts behind them.
 *
 * @param reExecutions executions that did not give the recorded result, by cause
 * @param reExecutionsByFault the same by the fault (its id) that caused them
 */
record Verdict(int tasks, int completed, int steps, int executions, ChaosFindings findings,
               Map<Cause, Integer> reExecutions, Map<Integer, Integer> reExecutionsByFault) {

    Verdict {
        reExecutions = Map.copyOf(reExecutions);
        reExecutionsByFault = Map.copyOf(reExecutionsByFault);
    }

    boolean passed() {
        return findings.none();
    }

    int reExecutionCount() {
        return reExecutions.values().stream().mapToInt(Integer::intValue).sum();
    }
}
