package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
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
 * kill -9 of a worker in the middle of a checkpointing step: once its lease expires the step runs
 * again on another worker from the last checkpoint, so no item before it is processed twice, and
 * the result is exact.
 */
class CheckpointKillTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    private static final Duration LEASE = Duration.ofSeconds(2);

    /** One row per item processed: by which process. */
    record Processed(long item, long pid) {}

    private static List<Processed> processed(UUID task) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.query(c,
                "select item, pid from checkpoint_test_items where task_id = ? order by at, item",
                row -> new Processed(row.getLong(1), row.getLong(2)), task));
    }

    private static JsonNode checkpoint(UUID task, String step) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select coalesce(checkpoint, 'null')::text from tasker_steps where task_id = ? and name = ?",
                row -> Json.parse(row.getString(1)), task, step)).filter(JsonNode::isObject).orElse(null);
    }

    @Test
    void aWorkerKilledMidStepResumesElsewhereFromItsLastCheckpointWithNoItemBeforeItDoneTwice() throws Exception {
        Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.update(c, CheckpointingWorkerProcess.ITEMS_TABLE));
        String ns = newNamespace();
        String name = CheckpointHandlersTest.oneStepTemplate(fixture, ns, CheckpointingWorkerProcess.RecordingSum.class);
        long total = 300;
        UUID task = fixture.createTask(ns, name, "{\"total\": " + total + ", \"every\": 20, \"item_ms\": 10}");

        long lastCheckpoint;
        long killedPid;
        try (CheckpointingWorkerProcess child = CheckpointingWorkerProcess.start(fixture.db().database().url(), ns,
                LEASE)) {
            killedPid = child.pid();
            // Past a few checkpoints, and some items into the next chunk.
            eventually().until(() -> {
                JsonNode saved = checkpoint(task, "sum_items");
                return saved != null && saved.path("items_processed").asLong() >= 60
                        && processed(task).size() > saved.path("items_processed").asLong() + 3;
            });
            child.kill();
            lastCheckpoint = checkpoint(task, "sum_items").path("cursor").asLong();
            assertThat(processed(task)).extracting(Processed::pid).containsOnly(killedPid);
        }
        assertThat(fixture.step(task, "sum_items").state()).isEqualTo("in_progress");

        CheckpointingWorkerProcess.items = fixture.dataSource();
        fixture.start(config(ns), CheckpointingWorkerProcess.handlers());
        try (Orchestrator orchestrator = Orchestrator.manual(fixture.dataSource(), OrchestratorOptions.DEFAULTS)) {
            eventually().untilAsserted(() -> {
                orchestrator.runOnce();
                assertThat(fixture.taskState(task)).isEqualTo("complete");
            });
        }

        WorkerFixture.StepRow step = fixture.step(task, "sum_items");
        assertThat(step.results().path("sum").asLong()).isEqualTo(LongStream.range(0, total).sum());
        assertThat(step.attempts()).isEqualTo(2);
        Map<Long, Integer> times = new HashMap<>();
        List<Processed> all = processed(task);
        all.forEach(p -> times.merge(p.item(), 1, Integer::sum));
        assertThat(times).hasSize((int) total);
        // Items the killed worker did after its last checkpoint may have been done again; none before.
        assertThat(times).allSatisfy((item, count) -> {
            if (item < lastCheckpoint) {
                assertThat(count).as("item %d, before the last checkpoint %d", item, lastCheckpoint).isEqualTo(1);
            }
        });
        // The killed worker did everything before its last checkpoint; this one went on from there.
        assertThat(all).filteredOn(p -> p.item() < lastCheckpoint).extracting(Processed::pid).containsOnly(killedPid);
        assertThat(all).filteredOn(p -> p.pid() != killedPid).extracting(Processed::item)
                .allSatisfy(item -> assertThat(item).isGreaterThanOrEqualTo(lastCheckpoint))
                .contains(lastCheckpoint, total - 1);
    }
}
