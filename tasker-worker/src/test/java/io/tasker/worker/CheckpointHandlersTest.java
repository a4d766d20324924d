package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java handler that yields checkpoints (tasker-core's checkpoint_yield) is run again from each
 * one by the same worker at the same attempt; a retry, or another worker after a shutdown, resumes
 * from the last one.
 */
class CheckpointHandlersTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    /** One run of the handler: which attempt, and where it started. */
    record Run(int attempt, long from) {}

    /** What the handler did for one task. */
    static final class Runs {
        final Queue<Run> runs = new ConcurrentLinkedQueue<>();
        final Map<Long, Integer> processed = new ConcurrentHashMap<>();
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
    }

    static final Map<UUID, Runs> RUNS = new ConcurrentHashMap<>();

    /**
     * Sums the items 0 until {@code total}, {@code chunk} of them per run, yielding a checkpoint
     * (the next item, the sum so far) after each run but the last. Fails once, on its first
     * attempt, at item {@code fail_at}; waits for the test before yielding at {@code pause_at}.
     */
    public static final class ChunkedSum implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) throws Exception {
            JsonNode task = context.taskContext();
            long total = task.path("total").asLong();
            long chunk = task.path("chunk").asLong();
            StepContext.Checkpoint saved = context.checkpoint();
            long from = saved == null ? 0 : saved.cursor().asLong();
            long sum = saved == null ? 0 : saved.accumulatedResults().path("sum").asLong();
            Runs runs = RUNS.computeIfAbsent(context.taskUuid(), id -> new Runs());
            runs.runs.add(new Run(context.attempt(), from));
            long to = Math.min(from + chunk, total);
            for (long item = from; item < to; item++) {
                if (item == task.path("fail_at").asLong(-1) && context.attempt() == 1) {
                    throw new RetryableException("injected failure at item " + item);
                }
                runs.processed.merge(item, 1, Integer::sum);
                sum += item;
            }
            if (to == task.path("pause_at").asLong(-1)) {
                runs.paused.countDown();
                runs.resume.await(30, TimeUnit.SECONDS);
            }
            return to < total ? StepHandlerResult.checkpoint(to, to, Map.of("sum", sum))
                    : StepHandlerResult.success(Map.of("sum", sum, "items", total));
        }
    }

    private static String template(String ns) {
        return fixture.register("""
                namespace: %s
                name: chunked
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - name: sum_items
                    handler: {callable: %s}
                    retry: {retryable: true, max_attempts: 3, backoff_base_ms: 0, max_backoff_ms: 0}
                """, ns, ChunkedSum.class.getName()).name();
    }

    private static StepHandlerRegistry handlers() {
        return new StepHandlerRegistry().register(ChunkedSum.class);
    }

    private static JsonNode checkpoint(UUID task) {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select checkpoint::text from tasker_steps where task_id = ?", row -> Json.parse(row.getString(1)),
                task)).orElseThrow();
    }

    private static final long SUM_0_TO_999 = LongStream.range(0, 1000).sum();

    /** A task of a new namespace run by a worker of its own; its sum checked. */
    private static UUID runToCompletion(String context) {
        String ns = newNamespace();
        String name = template(ns);
        fixture.start(config(ns), handlers());
        UUID task = fixture.createTask(ns, name, context);
        fixture.awaitTaskState(task, "complete");
        assertThat(fixture.step(task, "sum_items").results().path("sum").asLong()).isEqualTo(SUM_0_TO_999);
        return task;
    }

    @Test
    void aHandlerThatCheckpointsAfterEachChunkRunsEachChunkOnceAtTheSameAttempt() {
        UUID task = runToCompletion("{\"total\": 1000, \"chunk\": 100}");

        WorkerFixture.StepRow step = fixture.step(task, "sum_items");
        assertThat(step.results().path("items").asLong()).isEqualTo(1000);
        assertThat(step.attempts()).isEqualTo(1);
        Runs runs = RUNS.get(task);
        assertThat(runs.runs).containsExactlyElementsOf(LongStream.range(0, 10).mapToObj(i -> new Run(1, i * 100))
                .toList());
        assertThat(runs.processed).hasSize(1000).allSatisfy((item, times) -> assertThat(times).isEqualTo(1));

        JsonNode saved = checkpoint(task);
        assertThat(saved.path("cursor").asLong()).isEqualTo(900);
        assertThat(saved.path("items_processed").asLong()).isEqualTo(900);
        assertThat(saved.path("accumulated_results").path("sum").asLong()).isEqualTo(LongStream.range(0, 900).sum());
        assertThat(saved.path("timestamp").isTextual()).isTrue();
        List<Long> history = saved.path("history").valueStream().map(entry -> entry.path("cursor").asLong()).toList();
        assertThat(history).containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L);
        // Nothing but the one attempt's history: a checkpoint is no attempt of its own.
        int attempts = Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select count(*) from tasker_step_attempts where task_id = ?", row -> row.getInt(1), task))
                .orElseThrow();
        assertThat(attempts).isZero();
    }

    @Test
    void aRetryAfterAFailureResumesFromTheLastCheckpoint() {
        UUID task = runToCompletion("{\"total\": 1000, \"chunk\": 100, \"fail_at\": 550}");

        WorkerFixture.StepRow step = fixture.step(task, "sum_items");
        assertThat(step.attempts()).isEqualTo(2);
        Runs runs = RUNS.get(task);
        // The first attempt's runs from 0 to 500, its failure in the run from 500, then the retry from 500 on.
        assertThat(runs.runs).containsExactly(new Run(1, 0), new Run(1, 100), new Run(1, 200), new Run(1, 300),
                new Run(1, 400), new Run(1, 500), new Run(2, 500), new Run(2, 600), new Run(2, 700), new Run(2, 800),
                new Run(2, 900));
        assertThat(runs.processed).hasSize(1000).allSatisfy((item, times) ->
                assertThat(times).as("item %d", item).isEqualTo(item >= 500 && item < 550 ? 2 : 1));
    }

    @Test
    void aCheckpointWhileTheWorkerStopsSendsTheStepBackToTheQueueToResumeElsewhere() throws Exception {
        String ns = newNamespace();
        String name = template(ns);
        WorkerSystemHandle first = fixture.start(config(ns), handlers());

        UUID task = fixture.createTask(ns, name, "{\"total\": 1000, \"chunk\": 100, \"pause_at\": 300}");
        eventually().until(() -> RUNS.containsKey(task) && RUNS.get(task).paused.getCount() == 0);
        first.transitionToGracefulShutdown();
        RUNS.get(task).resume.countDown();
        assertThat(first.awaitDrained()).isTrue();

        WorkerFixture.StepRow released = fixture.step(task, "sum_items");
        assertThat(released.state()).isEqualTo("enqueued");
        assertThat(released.claimedBy()).isNull();
        assertThat(checkpoint(task).path("cursor").asLong()).isEqualTo(300);

        fixture.start(config(ns), handlers());
        fixture.awaitTaskState(task, "complete");
        WorkerFixture.StepRow step = fixture.step(task, "sum_items");
        assertThat(step.results().path("sum").asLong()).isEqualTo(SUM_0_TO_999);
        assertThat(step.attempts()).isEqualTo(1);
        assertThat(RUNS.get(task).runs).extracting(Run::attempt).containsOnly(1);
        assertThat(RUNS.get(task).runs).extracting(Run::from).containsExactly(0L, 100L, 200L, 300L, 400L, 500L, 600L,
                700L, 800L, 900L);
        assertThat(RUNS.get(task).processed).hasSize(1000).allSatisfy((item, times) -> assertThat(times).isEqualTo(1));
    }
}
