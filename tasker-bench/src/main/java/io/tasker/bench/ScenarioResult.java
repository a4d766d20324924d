package io.tasker.bench;

import java.util.List;

/**
 * What one scenario gave: its measures, or the error that stopped it (then {@code measures} holds
 * what it measured before failing, usually nothing).
 */
public record ScenarioResult(String scenario, List<Measure> measures, String error) {
    public ScenarioResult {
        measures = List.copyOf(measures);
    }

    public static ScenarioResult of(String scenario, List<Measure> measures) {
        return new ScenarioResult(scenario, measures, null);
    }

    public static ScenarioResult failed(String scenario, String error) {
        return new ScenarioResult(scenario, List.of(), error);
    }

    public boolean succeeded() {
        return error == null;
    }
}
