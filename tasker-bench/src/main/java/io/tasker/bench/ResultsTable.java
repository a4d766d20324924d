package io.tasker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A report as a plain-text table, one row per measure, columns aligned. */
public final class ResultsTable {
    private static final String[] HEADER = {"scenario", "measure", "value", "unit", "target", ""};

    private ResultsTable() {}

    public static String format(BenchmarkReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ScenarioResult result : report.results()) {
            for (Measure measure : result.measures()) {
                rows.add(new String[] {result.scenario(), measure.name(), number(measure.value()), measure.unit(),
                        measure.target() == null ? "" : measure.target().text(), measure.verdict()});
            }
            if (!result.succeeded()) {
                rows.add(new String[] {result.scenario(), "FAILED: " + result.error(), "", "", "", ""});
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                // A failure message is left to run long rather than widen every row.
                if (!row[i].startsWith("FAILED: ")) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("Tasker benchmarks, ").append(report.started()).append(", on ").append(report.database())
                .append('\n');
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i == 2;
                String cell = numeric ? " ".repeat(Math.max(0, widths[i] - row[i].length())) + row[i]
                        : row[i] + " ".repeat(Math.max(0, widths[i] - row[i].length()));
                line.append(cell).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Three significant decimals at most, no exponent: 0.0421, 2.31, 4210. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude == 0 || magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f"
                : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
