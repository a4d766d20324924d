package io.tasker.bench.chaos.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the chaos handlers of one process write down every execution: a "start" line before the
 * step's work and an "end" line after it, in a file of the process's own under the folder named
 * by {@value #FOLDER_VARIABLE}. Each line is one {@code write} to a file opened for appending, so
 * once the line is written it is the operating system's: a {@code kill -9} of the process a moment
 * later loses nothing. The database is never used for this: the chaos run restarts it.
 *
 * <p>Lines are tab-separated: {@code start STEP ATTEMPT RUN PID MICROS} and
 * {@code end STEP ATTEMPT RUN PID MICROS OUTCOME}, with the wall-clock time in microseconds since
 * the epoch (all processes of a run share one machine's clock). {@link ExecutionRecords} reads
 * them back; the Ruby handlers write the same format.
 */
final class Journal {
    static final String FOLDER_VARIABLE = "TASKER_CHAOS_JOURNAL";

    private static volatile Journal instance;

    private final FileChannel file;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong runs = new AtomicLong();

    private Journal(FileChannel file) {
        this.file = file;
    }

    /** The journal of this process, opened on first use. */
    static Journal ofThisProcess() {
        Journal journal = instance;
        if (journal == null) {
            synchronized (Journal.class) {
                journal = instance;
                if (journal == null) {
                    journal = open(System.getenv(FOLDER_VARIABLE));
                    instance = journal;
                }
            }
        }
        return journal;
    }

    private static Journal open(String folder) {
        if (folder == null || folder.isBlank()) {
            throw new IllegalStateException(FOLDER_VARIABLE + " is not set: chaos steps run only in the workers "
                    + "that 'tasker chaos' starts");
        }
        try {
            Path path = Path.of(folder).resolve("java-" + ProcessHandle.current().pid() + ".tsv");
            return new Journal(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the chaos journal in " + folder, e);
        }
    }

    /** Writes the start of an execution; returns its run id, unique across the processes of a run. */
    String started(UUID step, int attempt) {
        String run = "j" + pid + "-" + runs.incrementAndGet();
        write(String.join("\t", "start", step.toString(), Integer.toString(attempt), run, Long.toString(pid),
                Long.toString(nowMicros())));
        return run;
    }

    void ended(UUID step, int attempt, String run, String outcome) {
        write(String.join("\t", "end", step.toString(), Integer.toString(attempt), run, Long.toString(pid),
                Long.toString(nowMicros()), outcome));
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private void write(String line) {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            // One write per line, under a lock: lines of concurrent handlers never interleave.
            synchronized (this) {
                while (bytes.hasRemaining()) {
                    file.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chaos journal", e);
        }
    }
}
