package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.bench.Target;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recorded latencies in nanoseconds. Three significant digits keep every percentile within 0.1 %
 * of the true value; recording is safe from several threads (throughput records from the
 * creators and the completion listener at once).
 */
public final class Latencies {
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(5);

    /** The unit a latency is reported in. */
    public enum Unit {
        MILLIS("ms", 1e6), MICROS("us", 1e3);

        final String symbol;
        final double nanos;

        Unit(String symbol, double nanos) {
            this.symbol = symbol;
            this.nanos = nanos;
        }
    }

    private final Histogram histogram = new ConcurrentHistogram(HIGHEST, 3);

    public void record(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, HIGHEST)));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    public double percentile(double percentile, Unit unit) {
        return histogram.getValueAtPercentile(percentile) / unit.nanos;
    }

    public double mean(Unit unit) {
        return histogram.getMean() / unit.nanos;
    }

    /**
     * The usual rows for one latency: p50, p90, p99 (and p99.9 when asked), max and mean, named
     * {@code what p50} and so on; {@code p50Target} and {@code p99Target} may be null.
     */
    public List<Measure> measures(String what, Unit unit, boolean withP999, Target p50Target, Target p99Target) {
        List<Measure> rows = new ArrayList<>();
        rows.add(Measure.of(what + " p50", percentile(50, unit), unit.symbol, p50Target));
        rows.add(Measure.of(what + " p90", percentile(90, unit), unit.symbol));
        rows.add(Measure.of(what + " p99", percentile(99, unit), unit.symbol, p99Target));
        if (withP999) {
            rows.add(Measure.of(what + " p99.9", percentile(99.9, unit), unit.symbol));
        }
        rows.add(Measure.of(what + " max", histogram.getMaxValue() / unit.nanos, unit.symbol));
        rows.add(Measure.of(what + " mean", mean(unit), unit.symbol));
        rows.add(Measure.of(what + " count", count(), ""));
        return rows;
    }
}
