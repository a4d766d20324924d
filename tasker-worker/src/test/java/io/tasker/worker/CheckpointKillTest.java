package io.tasker.worker;

import io.tasker.core.internal.Jdbc;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.OrchestratorOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a worker in the middle of a batch whose workers checkpoint: once its leases expire
 * each batch worker runs again on another worker from its last checkpoint, so no item before it
 * is processed twice, and the convergence step's sum is exact.
 */
class CheckpointKillTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final List<String> WORKERS = List.of("sum_items_001", "sum_items_002");

    /** One row per item processed: by which process. */
    record Processed(long item, long pid) {}

    private static List<Processed> processed(UUID task) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.query(c,
                "select item, pid from checkpoint_test_items where task_id = ? order by at, item",
                row -> new Processed(row.getLong(1), row.getLong(2)), task));
    }

    /** A step's saved checkpoint cursor, or -1 when it has none (or does not exist yet). */
    private static long checkpointCursor(UUID task, String step) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select (checkpoint ->> 'cursor')::bigint from tasker_steps where task_id = ? and name = ?",
                row -> row.getObject(1) == null ? -1L : row.getLong(1), task, step)).orElse(-1L);
    }

    @Test
    void aWorkerKilledMidBatchResumesElsewhereFromItsLastCheckpointsWithNoItemBeforeThemDoneTwice()
            throws Exception {
        Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.update(c, CheckpointingWorkerProcess.ITEMS_TABLE));
        String ns = newNamespace();
        String name = fixture.register("""
                namespace: %s
                name: recorded_batch
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - name: split
                    type: batchable
                    handler: {callable: %s}
                  - name: sum_items
                    type: batch_worker
                    handler: {callable: %s}
                    depends_on: [split]
                    batch_config: {checkpoint_interval: 20}
                    retry: {retryable: true, max_attempts: 3, backoff_base_ms: 0, max_backoff_ms: 0}
                  - name: add_up
                    type: deferred_convergence
                    handler: {callable: %s}
                    depends_on: [sum_items]
                """, ns, CheckpointingWorkerProcess.Split.class.getName(),
                CheckpointingWorkerProcess.RecordingSum.class.getName(),
                CheckpointingWorkerProcess.AddUp.class.getName()).name();
        long total = 400;
        UUID task = fixture.createTask(ns, name, "{\"total\": " + total + ", \"batches\": 2, \"item_ms\": 10}");

        Map<String, Long> lastCheckpoint = new HashMap<>();
        long killedPid;
        try (CheckpointingWorkerProcess child = CheckpointingWorkerProcess.start(fixture.db().database().url(), ns,
                LEASE)) {
            killedPid = child.pid();
            // Both batch workers past a few checkpoints, and the child some items into the next chunks.
            eventually().until(() -> WORKERS.stream().allMatch(step -> checkpointCursor(task, step) % 200 >= 40)
                    && processed(task).size() > WORKERS.stream().mapToLong(step -> checkpointCursor(task, step) % 200)
                            .sum() + 5);
            child.kill();
            WORKERS.forEach(step -> lastCheckpoint.put(step, checkpointCursor(task, step)));
            assertThat(processed(task)).extracting(Processed::pid).containsOnly(killedPid);
        }
        assertThat(WORKERS).allSatisfy(step -> assertThat(fixture.step(task, step).state()).isEqualTo("in_progress"));

        CheckpointingWorkerProcess.items = fixture.dataSource();
        fixture.start(config(ns), CheckpointingWorkerProcess.handlers());
        try (Orchestrator orchestrator = Orchestrator.manual(fixture.dataSource(), OrchestratorOptions.DEFAULTS)) {
            eventually().untilAsserted(() -> {
                orchestrator.runOnce();
                assertThat(fixture.taskState(task)).isEqualTo("complete");
            });
        }

        assertThat(fixture.step(task, "add_up").results().path("sum").asLong())
                .isEqualTo(LongStream.range(0, total).sum());
        assertThat(WORKERS).allSatisfy(step -> assertThat(fixture.step(task, step).attempts()).isEqualTo(2));
        Map<Long, Integer> times = new HashMap<>();
        List<Processed> all = processed(task);
        all.forEach(p -> times.merge(p.item(), 1, Integer::sum));
        assertThat(times).hasSize((int) total);
        for (int batch = 0; batch < WORKERS.size(); batch++) {
            long start = batch * (total / 2);
            long resumedAt = lastCheckpoint.get(WORKERS.get(batch));
            // Items the killed worker did after its last checkpoint may have been done again; none before.
            assertThat(LongStream.range(start, resumedAt).boxed().toList())
                    .allSatisfy(item -> assertThat(times.get(item)).as("item %d, before the checkpoint %d", item,
                            resumedAt).isEqualTo(1));
            // The killed worker did everything before its last checkpoint; this one went on from there.
            assertThat(all).filteredOn(p -> p.item() >= start && p.item() < resumedAt).extracting(Processed::pid)
                    .containsOnly(killedPid);
            assertThat(all).filteredOn(p -> p.pid() != killedPid && p.item() >= start && p.item() < start + total / 2)
                    .extracting(Processed::item)
                    .allSatisfy(item -> assertThat(item).isGreaterThanOrEqualTo(resumedAt))
                    .contains(resumedAt, start + total / 2 - 1);
        }
    }
}
