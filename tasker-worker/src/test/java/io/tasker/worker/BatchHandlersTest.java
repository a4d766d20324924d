package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.worker.handler.CursorConfig;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch run end to end by Java handlers on a worker: the batchable step's outcome creates its
 * workers, each sums its range checkpointing as it goes, and the convergence step adds up what
 * they found; with no batches one placeholder worker runs and the convergence step still does.
 */
class BatchHandlersTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    /** Splits the task's {@code total} items among {@code workers} batch workers; none when there are no items. */
    public static final class Analyze implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            long total = context.taskContext().path("total").asLong();
            if (total == 0) {
                return StepHandlerResult.noBatches(Map.of("reason", "no items"));
            }
            return StepHandlerResult.batches("sum_batch",
                    CursorConfig.ranges(total, context.taskContext().path("workers").asInt()), total,
                    Map.of("source", "numbers"));
        }
    }

    /** Sums its batch's items, a checkpoint every checkpoint_interval items; nothing for a placeholder. */
    public static final class SumBatch implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            StepContext.BatchWorker batch = context.batch();
            if (batch.noOp()) {
                return StepHandlerResult.success(Map.of("sum", 0, "no_op", true));
            }
            StepContext.Checkpoint saved = context.checkpoint();
            long from = saved == null ? batch.startCursor() : saved.cursor().asLong();
            long sum = saved == null ? 0 : saved.accumulatedResults().path("sum").asLong();
            long to = Math.min(from + batch.checkpointInterval(), batch.endCursor());
            sum += LongStream.range(from, to).sum();
            return to < batch.endCursor()
                    ? StepHandlerResult.checkpoint(to, to - batch.startCursor(), Map.of("sum", sum))
                    : StepHandlerResult.success(Map.of("sum", sum, "batch_id", batch.batchId()));
        }
    }

    /** Adds up the sums of every batch worker. */
    public static final class Total implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            long sum = 0;
            int workers = 0;
            for (Map.Entry<String, JsonNode> result : context.dependencyResults().entrySet()) {
                if (result.getKey().startsWith("sum_batch_")) {
                    sum += result.getValue().path("sum").asLong();
                    workers++;
                }
            }
            return StepHandlerResult.success(Map.of("sum", sum, "workers", workers));
        }
    }

    private static String template(String ns) {
        return fixture.register("""
                namespace: %s
                name: batch_sum
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - name: analyze
                    type: batchable
                    handler: {callable: %s}
                  - name: sum_batch
                    type: batch_worker
                    handler: {callable: %s}
                    depends_on: [analyze]
                    batch_config: {batch_size: 334, checkpoint_interval: 100}
                  - name: total
                    type: deferred_convergence
                    handler: {callable: %s}
                    depends_on: [sum_batch]
                """, ns, Analyze.class.getName(), SumBatch.class.getName(), Total.class.getName()).name();
    }

    private static JsonNode checkpoint(UUID task, String step) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select coalesce(checkpoint, 'null')::text from tasker_steps where task_id = ? and name = ?",
                row -> Json.parse(row.getString(1)), task, step)).orElseThrow();
    }

    /** A task of a new namespace, run to completion by a worker of its own. */
    private static UUID runToCompletion(String context) {
        String ns = newNamespace();
        String name = template(ns);
        fixture.start(config(ns), new StepHandlerRegistry().register(Analyze.class).register(SumBatch.class)
                .register(Total.class));
        UUID task = fixture.createTask(ns, name, context);
        fixture.awaitTaskState(task, "complete");
        return task;
    }

    @Test
    void threeWorkersSumTheirRangesWithCheckpointsAndTheConvergenceStepAddsThemUp() {
        UUID task = runToCompletion("{\"total\": 1000, \"workers\": 3}");

        assertThat(fixture.steps(task).keySet())
                .containsExactly("analyze", "sum_batch_001", "sum_batch_002", "sum_batch_003", "total");
        assertThat(fixture.step(task, "analyze").results()).isEqualTo(Json.parse("""
                {"source": "numbers", "batch_processing_outcome": {"type": "create_batches",
                 "worker_template_name": "sum_batch", "worker_count": 3, "total_items": 1000}}"""));
        assertThat(fixture.step(task, "sum_batch_001").results().path("sum").asLong())
                .isEqualTo(LongStream.range(0, 334).sum());
        assertThat(fixture.step(task, "sum_batch_003").results().path("sum").asLong())
                .isEqualTo(LongStream.range(668, 1000).sum());
        assertThat(fixture.steps(task).values()).allSatisfy(step -> assertThat(step.attempts()).isEqualTo(1));
        // 334 items, 100 per run: checkpoints at 100, 200 and 300 of the batch.
        assertThat(checkpoint(task, "sum_batch_002").path("history").valueStream()
                .map(entry -> entry.path("cursor").asLong()).toList()).containsExactly(434L, 534L, 634L);
        assertThat(fixture.step(task, "total").results())
                .isEqualTo(Json.parse("{\"sum\": " + LongStream.range(0, 1000).sum() + ", \"workers\": 3}"));
    }

    @Test
    void noBatchesRunsOnePlaceholderWorkerAndTheConvergenceStep() {
        UUID task = runToCompletion("{\"total\": 0, \"workers\": 3}");

        assertThat(fixture.steps(task).keySet()).containsExactly("analyze", "sum_batch_001", "total");
        assertThat(fixture.step(task, "analyze").results()).isEqualTo(Json.parse(
                "{\"reason\": \"no items\", \"batch_processing_outcome\": {\"type\": \"no_batches\"}}"));
        assertThat(fixture.step(task, "sum_batch_001").results())
                .isEqualTo(Json.parse("{\"sum\": 0, \"no_op\": true}"));
        assertThat(fixture.step(task, "total").results()).isEqualTo(Json.parse("{\"sum\": 0, \"workers\": 1}"));
    }
}
