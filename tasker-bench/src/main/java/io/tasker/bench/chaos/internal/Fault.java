package io.tasker.bench.chaos.internal;

/**
 * One fault the driver caused.
 *
 * @param id its place in the run, from 1
 * @param target what it hit: {@code worker-2 (pid 1234)}, {@code server (pid 99)}, {@code PostgreSQL}
 * @param pid the process it hit, 0 for PostgreSQL
 * @param atMicros when the driver acted
 * @param recoveredMicros when what it hit was back: the process it killed had ended and its
 *     replacement was ready, or PostgreSQL accepted connections again
 */
record Fault(int id, FaultKind kind, String target, long pid, long atMicros, long recoveredMicros) {}
