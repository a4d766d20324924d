package io.tasker.bench.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * CPU time spent by this JVM (and the worker JVMs it started, when given) and, for the embedded
 * PostgreSQL, by its server processes. On a
 * machine that other work shares, elapsed times say as much about the neighbours as about Tasker;
 * CPU time per step does not, and two cores divided by it bounds what a dedicated machine could
 * do.
 */
final class CpuMeter {
    private final List<ProcessHandle> otherJvms;
    private final long jvmStart;
    private final Long postgresStart;
    private final Long postmasterPid;

    /**
     * CPU spent between {@link #start} and {@link #stop}: {@code jvm} by this JVM and the other
     * JVMs measured; {@code postgres} is empty for an external server.
     */
    record Usage(Duration jvm, Optional<Duration> postgres) {
        Duration total() {
            return postgres.map(jvm::plus).orElse(jvm);
        }
    }

    private CpuMeter(List<ProcessHandle> otherJvms, long jvmStart, Long postmasterPid, Long postgresStart) {
        this.otherJvms = otherJvms;
        this.jvmStart = jvmStart;
        this.postmasterPid = postmasterPid;
        this.postgresStart = postgresStart;
    }

    /** Starts measuring; {@code postgresData} is the embedded server's data folder, or null. */
    static CpuMeter start(Path postgresData) {
        return start(postgresData, List.of());
    }

    /**
     * As {@link #start(Path)}, adding the CPU of {@code otherJvms} (worker processes this one
     * started, which must outlive the measurement: a process that ends takes its CPU with it).
     */
    static CpuMeter start(Path postgresData, List<ProcessHandle> otherJvms) {
        Long pid = postgresData == null ? null : postmasterPid(postgresData);
        List<ProcessHandle> others = List.copyOf(otherJvms);
        return new CpuMeter(others, jvmCpuNanos(others), pid, pid == null ? null : postgresCpuNanos(pid));
    }

    Usage stop() {
        Duration jvm = Duration.ofNanos(jvmCpuNanos(otherJvms) - jvmStart);
        Optional<Duration> postgres = postmasterPid == null ? Optional.empty()
                : Optional.of(Duration.ofNanos(postgresCpuNanos(postmasterPid) - postgresStart));
        return new Usage(jvm, postgres);
    }

    private static long jvmCpuNanos(List<ProcessHandle> others) {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() + others.stream().mapToLong(CpuMeter::cpu).sum();
    }

    /**
     * The postmaster and its children (backends, WAL writer, checkpointer). A backend that ends
     * in between takes its CPU with it; the pool keeps its connections, so few do.
     */
    private static long postgresCpuNanos(long pid) {
        return ProcessHandle.of(pid).map(postmaster -> {
            long total = cpu(postmaster);
            total += postmaster.descendants().mapToLong(CpuMeter::cpu).sum();
            return total;
        }).orElse(0L);
    }

    private static long cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static Long postmasterPid(Path dataDirectory) {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
