package io.tasker.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a chaos run did and what its checks found. It passes when every task completed, every
 * check passed and nothing went wrong with the processes themselves.
 *
 * @param folder where the run's database, logs, journals and this report are kept; null when the
 *     temporary folder was removed
 * @param faults every fault in the order it happened
 * @param reExecutions executions that did not give the recorded result, by cause
 * @param attemptHistory the database's rows for attempts that did not end their step, by reason
 * @param problems what the driver saw go wrong with the processes themselves
 */
public record ChaosReport(ChaosOptions options, Duration duration, Path folder, int tasks, int completed, int steps,
                          int executions, List<FaultEvent> faults, ChaosFindings findings,
                          List<Count> reExecutions, List<Count> attemptHistory, List<String> problems) {

    /** How many of something. */
    public record Count(String what, int count) {}

    /**
     * One fault: when it happened after the run's start, what it hit, how long until what it hit
     * was back, and how many executions it cost.
     */
    public record FaultEvent(int id, String kind, String target, Duration at, Duration recoveredAfter,
                             int reExecutions) {}

    public ChaosReport {
        faults = List.copyOf(faults);
        reExecutions = List.copyOf(reExecutions);
        attemptHistory = List.copyOf(attemptHistory);
        problems = List.copyOf(problems);
    }

    public boolean passed() {
        return completed == tasks && findings.none() && problems.isEmpty();
    }

    /** Faults by kind, in the order kinds first happened. */
    public Map<String, Integer> faultsByKind() {
        return faults.stream().collect(Collectors.toMap(FaultEvent::kind, f -> 1, Integer::sum, LinkedHashMap::new));
    }

    public int reExecutionCount() {
        return reExecutions.stream().mapToInt(Count::count).sum();
    }

    /** The report as {@code tasker chaos} prints it; {@code details} lines of each finding at most. */
    public String format(int details) {
        StringBuilder out = new StringBuilder();
        out.append("Chaos run: ").append(tasks).append(" tasks, ").append(options.workers())
                .append(" worker processes, seed ").append(options.seed()).append(", ").append(text(duration))
                .append('\n');
        row(out, "faults", faults.size() + (faults.isEmpty() ? "" : ": " + faultsByKind().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        row(out, "tasks complete", completed + " of " + tasks);
        row(out, "lost", Integer.toString(findings.lost().size()));
        row(out, "wrong results", Integer.toString(findings.wrong().size()));
        row(out, "recorded twice", Integer.toString(findings.recordedTwice().size()));
        row(out, "concurrent runs", findings.overlaps().size() + " (and " + findings.overlapsAfterLeaseExpiry().size()
                + " after the first holder's lease ran out, which the guarantees allow)");
        row(out, "steps", steps + ", run " + executions + " times");
        row(out, "re-executions", reExecutionCount() + (findings.unexpected().isEmpty() ? ", all explained"
                : ", " + findings.unexpected().size() + " not allowed by the guarantees"));
        for (Count count : reExecutions) {
            out.append(String.format(Locale.ROOT, "  %6d  %s%n", count.count(), count.what()));
        }
        row(out, "attempt history", attemptHistory.isEmpty() ? "none" : attemptHistory.stream()
                .map(c -> c.what() + " " + c.count()).collect(Collectors.joining(", ")));
        row(out, "problems", problems.isEmpty() ? "none" : Integer.toString(problems.size()));
        if (!faults.isEmpty()) {
            out.append("faults, each with when it hit, when what it hit was back, and the re-executions it caused:\n");
            for (FaultEvent fault : faults) {
                out.append(String.format(Locale.ROOT, "  %2d  %8s  %-26s %-28s back after %-7s %d%n", fault.id(),
                        text(fault.at()), fault.kind(), fault.target(), text(fault.recoveredAfter()),
                        fault.reExecutions()));
            }
        }
        details(out, "lost", findings.lost(), details);
        details(out, "wrong results", findings.wrong(), details);
        details(out, "recorded twice", findings.recordedTwice(), details);
        details(out, "concurrent runs", findings.overlaps(), details);
        details(out, "concurrent runs after a lease ran out", findings.overlapsAfterLeaseExpiry(), details);
        details(out, "re-executions not allowed by the guarantees", findings.unexpected(), details);
        details(out, "problems", problems, details);
        if (folder != null) {
            out.append("run folder: ").append(folder).append('\n');
        }
        out.append(passed() ? "PASSED\n" : "FAILED\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String text) {
        out.append(String.format(Locale.ROOT, "  %-16s %s%n", label, text));
    }

    private static void details(StringBuilder out, String title, List<String> lines, int max) {
        if (lines.isEmpty()) {
            return;
        }
        out.append(title).append(":\n");
        lines.stream().limit(max).forEach(line -> out.append("  ").append(line).append('\n'));
        if (lines.size() > max) {
            out.append("  ... and ").append(lines.size() - max).append(" more\n");
        }
    }

    static String text(Duration duration) {
        long tenths = duration.toMillis() / 100;
        long minutes = tenths / 600;
        double seconds = (tenths % 600) / 10.0;
        return minutes > 0 ? String.format(Locale.ROOT, "%dm%04.1fs", minutes, seconds)
                : String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
