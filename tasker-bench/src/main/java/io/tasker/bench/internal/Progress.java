package io.tasker.bench.internal;

import java.io.PrintWriter;

/** Progress lines for the person waiting, on stderr, each prefixed with the scenario it is about. */
public record Progress(PrintWriter out, String scenario) {

    public Progress forScenario(String name) {
        return new Progress(out, name);
    }

    public void line(String format, Object... args) {
        out.println((scenario == null ? "bench" : scenario) + ": " + format.formatted(args));
        out.flush();
    }

    /** Reports {@code done} of {@code total} at every tenth, so a long run shows it is alive. */
    public void count(String what, int done, int total) {
        int step = Math.max(1, total / 10);
        if (done == total || done % step == 0) {
            line("%s %d/%d", what, done, total);
        }
    }
}
