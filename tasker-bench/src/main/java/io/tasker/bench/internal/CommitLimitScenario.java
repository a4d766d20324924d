package io.tasker.bench.internal;

import io.tasker.bench.Measure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code commit-limit}: the durable commits a second this PostgreSQL takes, with one client and
 * with {@value #CLIENTS} (see {@link CommitLimit}), measured in the same run as the other
 * scenarios so their rates can be read against it. One client shows the time of one WAL flush;
 * several show what group commit makes of the disk.
 */
final class CommitLimitScenario implements Scenario {
    static final int CLIENTS = 4;
    static final Duration DURATION = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "commit-limit";
    }

    @Override
    public String description() {
        return "one-row durable commits/s of this PostgreSQL, 1 and " + CLIENTS + " clients, "
                + DURATION.toSeconds() + " s each: the ceiling of steps/s";
    }

    @Override
    public List<Measure> run(Run run) throws Exception {
        List<Measure> measures = new ArrayList<>();
        for (int clients : new int[] {1, CLIENTS}) {
            run.progress().line("%d client%s for %d s", clients, clients == 1 ? "" : "s", DURATION.toSeconds());
            CommitLimit.Result result = CommitLimit.measure(run.environment(), clients, DURATION);
            String who = clients + (clients == 1 ? " client" : " clients");
            measures.add(Measure.of("commits/s, " + who, result.perSecond(), "commits/s"));
            measures.add(Measure.of("commit p50, " + who, result.latencies().percentile(50, Latencies.Unit.MICROS),
                    "us"));
            measures.add(Measure.of("commit p99, " + who, result.latencies().percentile(99, Latencies.Unit.MICROS),
                    "us"));
        }
        return measures;
    }
}
