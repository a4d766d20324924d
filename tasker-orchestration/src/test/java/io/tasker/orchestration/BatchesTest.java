package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.tasker.orchestration.TaskCreatorTest.json;
import static io.tasker.orchestration.TaskCreatorTest.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Batch processing over PostgreSQL (docs/dynamic-workflows.md): the worker instances a batchable
 * step's outcome creates, the convergence step that waits for all of them, outcomes that are not
 * valid, checkpoints, and operators' actions on instances.
 */
class BatchesTest extends EveryServerTest {
    private static final String NS = "batches";
    private static final String WORKER = "worker-1";
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** tasker-core's CSV example, in tasker-core's format, and a step after the convergence step. */
    static final String CSV = """
            namespace_name: batches
            name: csv
            version: 1.0.0
            steps:
              - name: analyze_csv
                type: batchable
                handler: {callable: test.Analyze}
              - name: process_csv_batch
                type: batch_worker
                handler: {callable: test.Process}
                dependencies: [analyze_csv]
                batch_config:
                  batch_size: 334
                  cursor_field: row_number
                  failure_strategy: continue_on_failure
                  checkpoint_interval: 50
              - name: aggregate
                type: deferred_convergence
                handler: {callable: test.Aggregate}
                dependencies: [process_csv_batch]
              - name: report
                handler: {callable: test.Report}
                dependencies: [aggregate]
            """;

    private TaskCreator creator;
    private TaskQueries queries;
    private ResultRecorder recorder;
    private StepDriver driver;

    @BeforeEach
    void registerTemplate() {
        TemplateRegistry registry = new TemplateRegistry(dataSource);
        registry.register(template(CSV), null);
        creator = new TaskCreator(dataSource, registry);
        queries = new TaskQueries(dataSource);
        recorder = new ResultRecorder(dataSource);
        driver = new StepDriver(dataSource, NS);
    }

    @Test
    void createBatchesCreatesOneWorkerPerCursorAndTheConvergenceStepWaitsForAllOfThem() {
        UUID task = start("1");
        assertThat(driver.view(task).steps()).extracting(StepView::name, StepView::type, StepView::state)
                .containsExactly(tuple("analyze_csv", "batchable", StepState.ENQUEUED));

        CycleResult cycle = recorder.cycle(WORKER, List.of(FinishedStep.of(driver.claim("analyze_csv"),
                new StepOutcome.Success(batches(3, 1000), null))), new EagerClaim(WORKER, List.of(NS), 2, LEASE));
        assertThat(cycle.recorded().getFirst().stepState()).isEqualTo(StepState.COMPLETE);
        assertThat(cycle.claimed()).extracting(ClaimedStep::stepName)
                .containsExactly("process_csv_batch_001", "process_csv_batch_002");
        cycle.claimed().forEach(step -> driver.held.put(step.stepName(), step));

        assertThat(driver.view(task).steps()).extracting(StepView::name, StepView::type, StepView::state,
                StepView::createdBy).containsExactly(
                tuple("analyze_csv", "batchable", StepState.COMPLETE, null),
                tuple("process_csv_batch_001", "batch_worker", StepState.IN_PROGRESS, "analyze_csv"),
                tuple("process_csv_batch_002", "batch_worker", StepState.IN_PROGRESS, "analyze_csv"),
                tuple("process_csv_batch_003", "batch_worker", StepState.ENQUEUED, "analyze_csv"),
                tuple("aggregate", "deferred_convergence", StepState.PENDING, "analyze_csv"),
                tuple("report", "standard", StepState.PENDING, "analyze_csv"));
        assertThat(positions(task)).containsExactly(1, 2_000_001, 2_000_002, 2_000_003, 3, 4);

        ClaimedStep first = driver.held.get("process_csv_batch_001");
        assertThat(Json.parse(first.inputs())).isEqualTo(json("""
                {"cursor": {"batch_id": "001", "start_cursor": 0, "end_cursor": 334, "batch_size": 334},
                 "batch_metadata": {"checkpoint_interval": 50, "cursor_field": "row_number",
                                    "failure_strategy": "continue_on_failure"},
                 "is_no_op": false}"""));
        assertThat(first.checkpoint()).isNull();
        JsonNode storedAnalysis = json("""
                {"rows": 1000, "batch_processing_outcome": {"type": "create_batches",
                 "worker_template_name": "process_csv_batch", "worker_count": 3, "total_items": 1000}}""");
        assertThat(Json.parse(first.dependencyResults())).isEqualTo(
                Json.MAPPER.createObjectNode().set("analyze_csv", storedAnalysis));
        assertThat(driver.step(task, "analyze_csv").results()).as("stored without cursor_configs")
                .isEqualTo(storedAnalysis);

        StepView third = driver.step(task, "process_csv_batch_003");
        assertThat(third.batch()).isEqualTo(json("""
                {"worker_template": "process_csv_batch", "batch_id": "003", "no_op": false,
                 "cursor": {"batch_id": "003", "start_cursor": 668, "end_cursor": 1000, "batch_size": 332}}"""));
        assertThat(third.dependsOn()).containsExactly("analyze_csv");
        assertThat(driver.step(task, "analyze_csv").batch()).isNull();
        StepView aggregate = driver.step(task, "aggregate");
        assertThat(aggregate.dependsOn()).containsExactly("process_csv_batch_001", "process_csv_batch_002",
                "process_csv_batch_003");
        assertThat(driver.parentsPending(task, "aggregate")).isEqualTo(3);

        driver.record(driver.held.remove("process_csv_batch_001"), Map.of("sum", 1));
        driver.record(driver.held.remove("process_csv_batch_002"), Map.of("sum", 2));
        assertThat(driver.step(task, "aggregate").state()).isEqualTo(StepState.PENDING);
        driver.complete("process_csv_batch_003", Map.of("sum", 3));
        ClaimedStep converge = driver.claim("aggregate");
        JsonNode dependencies = Json.parse(converge.dependencyResults());
        assertThat(dependencies.get("process_csv_batch_001")).isEqualTo(json("{\"sum\": 1}"));
        assertThat(dependencies.get("process_csv_batch_002")).isEqualTo(json("{\"sum\": 2}"));
        assertThat(dependencies.get("process_csv_batch_003")).isEqualTo(json("{\"sum\": 3}"));
        assertThat(dependencies.get("analyze_csv")).isEqualTo(storedAnalysis);

        assertThat(driver.record(converge, Map.of("sum", 6)).finishedTask()).isNull();
        assertThat(driver.step(task, "report").dependsOn()).containsExactly("aggregate");
        assertThat(driver.complete("report", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);
    }

    @Test
    void noBatchesCreatesOnePlaceholderWorkerSoTheConvergenceStepRunsAsAlways() {
        UUID task = start("1");
        ObjectNode result = Json.MAPPER.createObjectNode().put("rows", 0);
        result.putObject("batch_processing_outcome").put("type", "no_batches");
        driver.complete("analyze_csv", result);

        StepView placeholder = driver.step(task, "process_csv_batch_001");
        assertThat(placeholder.type()).isEqualTo("batch_worker");
        assertThat(placeholder.state()).isEqualTo(StepState.ENQUEUED);
        assertThat(placeholder.batch().path("no_op").asBoolean()).isTrue();
        assertThat(driver.names(task)).containsExactly("analyze_csv", "process_csv_batch_001", "aggregate", "report");
        ClaimedStep noOp = driver.claim("process_csv_batch_001");
        assertThat(Json.parse(noOp.inputs())).isEqualTo(json("""
                {"cursor": {"batch_id": "001", "start_cursor": 0, "end_cursor": 0, "batch_size": 0},
                 "batch_metadata": {"checkpoint_interval": 50, "cursor_field": "row_number",
                                    "failure_strategy": "continue_on_failure"},
                 "is_no_op": true}"""));
        driver.record(noOp, Map.of("skipped", true));
        assertThat(Json.parse(driver.claim("aggregate").dependencyResults()).has("process_csv_batch_001")).isTrue();
    }

    @Test
    void anOutcomeThatIsNotValidFailsTheBatchableStepSayingWhatIsAllowed() {
        ObjectNode unknown = batches(2, 10);
        ((ObjectNode) unknown.get("batch_processing_outcome")).put("worker_template_name", "process_batch");
        ObjectNode mismatch = batches(2, 10);
        ((ObjectNode) mismatch.get("batch_processing_outcome")).put("worker_count", 5);
        ObjectNode notACursor = batches(2, 10);
        ((ArrayNode) notACursor.get("batch_processing_outcome").get("cursor_configs")).set(1, json("7"));
        ObjectNode tooMany = batches(2, 10);
        ArrayNode many = ((ObjectNode) tooMany.get("batch_processing_outcome")).putArray("cursor_configs");
        for (int i = 0; i < 100_001; i++) {
            many.addObject().put("batch_id", i);
        }
        ((ObjectNode) tooMany.get("batch_processing_outcome")).remove("worker_count");
        Map<JsonNode, String> messages = Map.of(
                unknown, "batchable step 'analyze_csv' named worker template 'process_batch', which is not one of its "
                        + "batch_worker steps; worker_template_name may be process_csv_batch",
                mismatch, "batchable step 'analyze_csv' returned worker_count 5 but 2 cursor_configs; worker_count, "
                        + "when given, must be the number of cursor_configs",
                notACursor, "batchable step 'analyze_csv' returned cursor_configs entry 2 that is not a cursor with a "
                        + "batch_id: each entry must be an object like {\"batch_id\": \"001\", \"start_cursor\": 0, "
                        + "\"end_cursor\": 100, \"batch_size\": 100}",
                tooMany, "batchable step 'analyze_csv' returned create_batches with 100001 cursor_configs; it needs "
                        + "cursor_configs, a list of 1 to 100000 cursors, one per batch worker "
                        + "(or no_batches for none)",
                json("{\"rows\": 10}"), "batchable step 'analyze_csv' returned no batch outcome: its result needs "
                        + "batch_processing_outcome, {\"type\": \"create_batches\", \"worker_template_name\": \"...\", "
                        + "\"cursor_configs\": [{\"batch_id\": \"001\", \"start_cursor\": 0, \"end_cursor\": 100, "
                        + "\"batch_size\": 100}, ...]} or {\"type\": \"no_batches\"} (a Java handler returns "
                        + "StepHandlerResult.batches(...) or noBatches(...), a Ruby one create_batches_success(...) "
                        + "or no_batches_success(...))");
        int run = 0;
        for (Map.Entry<JsonNode, String> invalid : messages.entrySet()) {
            UUID task = start("invalid-" + run++);
            RecordResult failed = driver.complete("analyze_csv", invalid.getKey());
            assertThat(failed.stepState()).isEqualTo(StepState.ERROR);
            assertThat(failed.finishedTask()).isEqualTo(TaskState.ERROR);
            JsonNode error = driver.step(task, "analyze_csv").lastError();
            assertThat(error.path("error_type").asText()).isEqualTo("InvalidBatchOutcome");
            assertThat(error.path("retryable").asBoolean()).isFalse();
            assertThat(error.path("message").asText()).isEqualTo(invalid.getValue());
            assertThat(error.path("details").path("result")).isEqualTo(Json.parse(invalid.getKey().toString()));
            assertThat(driver.step(task, "analyze_csv").results()).isNull();
            assertThat(driver.names(task)).containsExactly("analyze_csv");
        }
    }

    @Test
    void aWorkerMayNotBeNamedLikeAStepOfTheTemplate() {
        new TemplateRegistry(dataSource).register(template("""
                namespace: batches
                name: clash
                version: 1.0.0
                steps:
                  - name: split
                    type: batchable
                    handler: {callable: test.Split}
                  - name: work
                    type: batch_worker
                    handler: {callable: test.Work}
                    depends_on: [split]
                  - name: work_audit
                    handler: {callable: test.Audit}
                    depends_on: [split]
                """), null);
        UUID task = ((CreateTaskResult.Created) creator.create(TaskRequest.of(NS, "clash", json("{}")))).taskId();
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putObject("batch_processing_outcome").put("type", "create_batches").put("worker_template_name", "work")
                .putArray("cursor_configs").addObject().put("batch_id", "audit");
        assertThat(driver.complete("split", result).stepState()).isEqualTo(StepState.ERROR);
        assertThat(driver.step(task, "split").lastError().path("message").asText()).isEqualTo("batchable step "
                + "'split' returned a batch_id that names its worker 'work_audit', which is the name of a step of its "
                + "template; choose batch_ids that do not");
    }

    @Test
    void tenThousandWorkersAreCreatedInOneCycleAndTheConvergenceStepReceivesEveryResult() {
        int workers = 10_000;
        UUID task = start("1");
        long created = System.nanoTime();
        assertThat(driver.complete("analyze_csv", batches(workers, workers * 10L)).stepState())
                .isEqualTo(StepState.COMPLETE);
        System.out.printf("recording the batchable step created %d workers in %d ms%n", workers,
                (System.nanoTime() - created) / 1_000_000);
        assertThat(count(task, "batch_of is not null and state = 'enqueued'")).isEqualTo(workers);
        assertThat(driver.parentsPending(task, "aggregate")).isEqualTo(workers);

        long ran = System.nanoTime();
        EagerClaim slots = new EagerClaim(WORKER, List.of(NS), 500, LEASE);
        List<ClaimedStep> claimed = StepQueue.claim(dataSource, WORKER, List.of(NS), 500, LEASE);
        ClaimedStep aggregate = null;
        int cycles = 0;
        while (!claimed.isEmpty()) {
            List<FinishedStep> finished = new ArrayList<>();
            for (ClaimedStep step : claimed) {
                if (step.stepName().equals("aggregate")) {
                    aggregate = step;
                } else {
                    finished.add(FinishedStep.of(step, new StepOutcome.Success(
                            Json.MAPPER.createObjectNode().put("batch", step.stepName()), null)));
                }
            }
            claimed = finished.isEmpty() ? List.of() : recorder.cycle(WORKER, finished, slots).claimed();
            cycles++;
        }
        System.out.printf("%d workers ran to completion in %d cycles, %d ms%n", workers, cycles,
                (System.nanoTime() - ran) / 1_000_000);
        assertThat(aggregate).as("the convergence step is claimed once the last worker completes").isNotNull();
        JsonNode dependencies = Json.parse(aggregate.dependencyResults());
        assertThat(dependencies.size()).isEqualTo(workers + 1);
        assertThat(dependencies.get("process_csv_batch_09999").path("batch").asText())
                .isEqualTo("process_csv_batch_09999");
        driver.record(aggregate, Map.of("rows", workers * 10));
        assertThat(driver.complete("report", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);

        long read = System.nanoTime();
        TaskView view = driver.view(task);
        System.out.printf("the task document with %d workers read in %d ms%n", workers,
                (System.nanoTime() - read) / 1_000_000);
        assertThat(view.steps()).hasSize(workers + 3);
        assertThat(view.steps().get(1).batch().path("batch_id").asText()).isEqualTo("00000");
        assertThat(view.steps().get(workers).batch().path("batch_id").asText()).isEqualTo("09999");
        assertThat(view.steps().get(workers + 1).dependsOn()).hasSize(workers);
        assertThat(view.steps()).extracting(StepView::state).containsOnly(StepState.COMPLETE);
    }

    @Test
    void aWorkersCheckpointIsSavedWithItsHistoryAndKeptAcrossRetriesAndAnExpiredLease() {
        UUID task = start("1");
        driver.complete("analyze_csv", batches(1, 300));
        ClaimedStep worker = driver.claim("process_csv_batch_001");
        assertThat(worker.attempts()).isEqualTo(1);
        assertThat(worker.checkpoint()).isNull();

        CycleResult yielded = recorder.cycle(WORKER, List.of(FinishedStep.of(worker,
                new StepOutcome.Checkpoint(json("100"), 100, json("{\"sum\": 10}")))),
                new EagerClaim(WORKER, List.of(NS), 1, LEASE));
        assertThat(yielded.recorded().getFirst().stepState()).isEqualTo(StepState.IN_PROGRESS);
        ClaimedStep again = yielded.claimed().getFirst();
        assertThat(again.stepId()).isEqualTo(worker.stepId());
        assertThat(again.attempts()).as("the same attempt goes on").isEqualTo(1);
        JsonNode saved = Json.parse(again.checkpoint());
        assertThat(saved.path("cursor").asInt()).isEqualTo(100);
        assertThat(saved.path("items_processed").asInt()).isEqualTo(100);
        assertThat(saved.path("accumulated_results")).isEqualTo(json("{\"sum\": 10}"));
        assertThat(saved.path("history")).hasSize(1);

        CycleResult released = recorder.cycle(WORKER, List.of(FinishedStep.of(again,
                new StepOutcome.Checkpoint(json("200"), 200, json("{\"sum\": 30}")))), EagerClaim.none(WORKER));
        assertThat(released.recorded().getFirst().stepState()).as("no slot: back to the queue")
                .isEqualTo(StepState.ENQUEUED);
        assertThat(released.claimed()).isEmpty();
        StepView view = driver.step(task, "process_csv_batch_001");
        assertThat(view.checkpoint().path("cursor").asInt()).isEqualTo(200);
        assertThat(view.checkpoint().path("history")).extracting(entry -> entry.path("cursor").asInt())
                .containsExactly(100, 200);

        ClaimedStep resumed = driver.claim("process_csv_batch_001");
        assertThat(resumed.attempts()).isEqualTo(1);
        assertThat(Json.parse(resumed.checkpoint()).path("cursor").asInt()).isEqualTo(200);
        recorder.record(WORKER, FinishedStep.of(resumed, new StepOutcome.Failure("disk full", "IOError", true,
                Duration.ZERO, null)));
        ClaimedStep retried = driver.claim("process_csv_batch_001");
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(Json.parse(retried.checkpoint()).path("cursor").asInt()).as("kept across a retry").isEqualTo(200);

        Jdbc.withConnection(dataSource, c -> Jdbc.update(c,
                "update tasker_steps set lease_until = now() - interval '1 second' where id = ?", retried.stepId()));
        assertThat(StepQueue.requeueExpiredLeases(dataSource, 10)).hasSize(1);
        ClaimedStep afterCrash = driver.claim("process_csv_batch_001");
        assertThat(afterCrash.attempts()).isEqualTo(3);
        assertThat(Json.parse(afterCrash.checkpoint()).path("cursor").asInt()).as("kept across an expired lease")
                .isEqualTo(200);
        assertThat(Json.parse(afterCrash.checkpoint()).path("accumulated_results")).isEqualTo(json("{\"sum\": 30}"));

        driver.record(afterCrash, Map.of("sum", 45));
        driver.complete("aggregate", Map.of());
        assertThat(driver.complete("report", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);
    }

    @Test
    void anOperatorRetriesOrResolvesAFailedWorkerOrCancelsATaskWithWorkersInFlight() {
        OperatorActions operator = new OperatorActions(dataSource);
        UUID task = start("1");
        driver.complete("analyze_csv", batches(2, 20));
        ClaimedStep first = driver.claim("process_csv_batch_001");
        recorder.record(WORKER, FinishedStep.of(first, new StepOutcome.Failure("bad row 7", "ParseError", false,
                null, null)));
        driver.complete("process_csv_batch_002", Map.of("sum", 2));
        assertThat(driver.view(task).state()).isEqualTo(TaskState.ERROR);
        assertThat(driver.parentsPending(task, "aggregate")).isEqualTo(1);

        StepView failed = driver.step(task, "process_csv_batch_001");
        assertThat(operator.retryStep(task, failed.id(), "ops", "row 7 fixed"))
                .isInstanceOf(OperatorActions.Outcome.Done.class);
        StepView retried = driver.step(task, "process_csv_batch_001");
        assertThat(retried.state()).isEqualTo(StepState.ENQUEUED);
        assertThat(retried.batch()).isEqualTo(failed.batch());
        ClaimedStep again = driver.claim("process_csv_batch_001");
        assertThat(Json.parse(again.inputs()).path("cursor")).isEqualTo(failed.batch().path("cursor"));
        driver.record(again, Map.of("sum", 1));
        assertThat(Json.parse(driver.claim("aggregate").dependencyResults()).get("process_csv_batch_001"))
                .isEqualTo(json("{\"sum\": 1}"));

        UUID resolved = start("3");
        driver.complete("analyze_csv", batches(2, 20));
        recorder.record(WORKER, FinishedStep.of(driver.claim("process_csv_batch_001"),
                new StepOutcome.Failure("bad row 3", "ParseError", false, null, null)));
        driver.complete("process_csv_batch_002", Map.of("sum", 2));
        assertThat(operator.resolveStep(resolved, driver.step(resolved, "process_csv_batch_001").id(), "ops",
                "row 3 skipped")).isInstanceOf(OperatorActions.Outcome.Done.class);
        assertThat(Json.parse(driver.claim("aggregate").dependencyResults()).has("process_csv_batch_001"))
                .as("a resolved worker counts as done, without a result").isFalse();

        UUID cancelled = start("2");
        driver.complete("analyze_csv", batches(3, 30));
        driver.claim("process_csv_batch_001");
        assertThat(operator.cancelTask(cancelled, "ops", "withdrawn")).isInstanceOf(OperatorActions.Outcome.Done.class);
        assertThat(driver.view(cancelled).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(driver.view(cancelled).steps()).extracting(StepView::name, StepView::state).containsExactly(
                tuple("analyze_csv", StepState.COMPLETE),
                tuple("process_csv_batch_001", StepState.CANCELLED),
                tuple("process_csv_batch_002", StepState.CANCELLED),
                tuple("process_csv_batch_003", StepState.CANCELLED),
                tuple("aggregate", StepState.CANCELLED),
                tuple("report", StepState.CANCELLED));
    }

    @Test
    void aBatchableStepInErrorIsCompletedByHandWithAValidOutcomeOrResolvedWithNoWorkers() {
        OperatorActions operator = new OperatorActions(dataSource);
        UUID completed = start("1");
        driver.complete("analyze_csv", json("{\"rows\": 20}"));
        UUID analyze = driver.step(completed, "analyze_csv").id();

        ObjectNode unknown = batches(2, 20);
        ((ObjectNode) unknown.get("batch_processing_outcome")).put("worker_template_name", "nobody");
        OperatorActions.Outcome refused = operator.completeStep(completed, analyze, unknown, "ops", null);
        assertThat(((OperatorActions.Outcome.Conflict) refused).message()).isEqualTo("the result cannot complete "
                + "batchable step 'analyze_csv': batchable step 'analyze_csv' named worker template 'nobody', which "
                + "is not one of its batch_worker steps; worker_template_name may be process_csv_batch");

        TaskView task = ((OperatorActions.Outcome.Done) operator.completeStep(completed, analyze, batches(2, 20),
                "ops", "split by hand")).task();
        assertThat(task.state()).isEqualTo(TaskState.IN_PROGRESS);
        assertThat(task.steps()).extracting(StepView::name, StepView::state, StepView::createdBy).containsExactly(
                tuple("analyze_csv", StepState.COMPLETE, null),
                tuple("process_csv_batch_001", StepState.ENQUEUED, "analyze_csv"),
                tuple("process_csv_batch_002", StepState.ENQUEUED, "analyze_csv"),
                tuple("aggregate", StepState.PENDING, "analyze_csv"),
                tuple("report", StepState.PENDING, "analyze_csv"));
        assertThat(task.steps().getFirst().results().get("batch_processing_outcome").has("cursor_configs")).isFalse();
        driver.complete("process_csv_batch_001", Map.of());
        driver.complete("process_csv_batch_002", Map.of());
        driver.complete("aggregate", Map.of());
        assertThat(driver.complete("report", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);

        UUID resolved = start("2");
        driver.complete("analyze_csv", json("{\"rows\": 20}"));
        OperatorActions.Outcome done = operator.resolveStep(resolved, driver.step(resolved, "analyze_csv").id(),
                "ops", "nothing to split");
        assertThat(((OperatorActions.Outcome.Done) done).task().steps())
                .extracting(StepView::name, StepView::state, StepView::dependsOn).containsExactly(
                        tuple("analyze_csv", StepState.RESOLVED_MANUALLY, List.of()),
                        tuple("aggregate", StepState.ENQUEUED, List.of()),
                        tuple("report", StepState.PENDING, List.of("aggregate")));
        driver.complete("aggregate", Map.of());
        assertThat(driver.complete("report", Map.of()).finishedTask()).isEqualTo(TaskState.COMPLETE);
    }

    @Test
    void workersCompletingTogetherOnSeveralWorkersCountTheConvergenceStepDownWithoutDeadlock() throws Exception {
        int workers = 2_000;
        UUID task = start("1");
        driver.complete("analyze_csv", batches(workers, workers));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JsonNode>> runs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String worker = "worker-" + w;
                runs.add(pool.submit(() -> runUntilDone(worker, task)));
            }
            JsonNode aggregated = null;
            for (Future<JsonNode> run : runs) {
                JsonNode seen = run.get(5, TimeUnit.MINUTES);
                aggregated = seen != null ? seen : aggregated;
            }
            assertThat(aggregated).as("one worker ran the convergence step").isNotNull();
            assertThat(aggregated.size()).isEqualTo(workers + 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(driver.parentsPending(task, "aggregate")).isZero();
        assertThat(driver.view(task).state()).isEqualTo(TaskState.COMPLETE);
        assertThat(count(task, "state = 'complete'")).isEqualTo(workers + 3);
    }

    /**
     * One worker's loop: record what it ran and claim more in the same cycle, until the task is
     * complete. Answers the dependency results of the convergence step if this worker ran it.
     */
    private JsonNode runUntilDone(String worker, UUID task) throws InterruptedException {
        EagerClaim slots = new EagerClaim(worker, List.of(NS), 25, LEASE);
        JsonNode aggregated = null;
        List<ClaimedStep> claimed = StepQueue.claim(dataSource, worker, List.of(NS), 25, LEASE);
        while (true) {
            if (claimed.isEmpty()) {
                if (driver.view(task).state() == TaskState.COMPLETE) {
                    return aggregated;
                }
                Thread.sleep(5);
                claimed = StepQueue.claim(dataSource, worker, List.of(NS), 25, LEASE);
                continue;
            }
            List<FinishedStep> finished = new ArrayList<>();
            for (ClaimedStep step : claimed) {
                if (step.stepName().equals("aggregate")) {
                    aggregated = Json.parse(step.dependencyResults());
                }
                finished.add(FinishedStep.of(step, new StepOutcome.Success(
                        Json.MAPPER.createObjectNode().put("by", worker), null)));
            }
            claimed = recorder.cycle(worker, finished, slots).claimed();
        }
    }

    private UUID start(String key) {
        driver = new StepDriver(dataSource, NS);
        CreateTaskResult created = creator.create(TaskRequest.of(NS, "csv", json("{\"run\": \"" + key + "\"}")));
        return ((CreateTaskResult.Created) created).taskId();
    }

    /** A batchable step's result, {@code workers} cursors over {@code items} rows, as tasker-core's handlers return it. */
    static ObjectNode batches(int workers, long items) {
        ObjectNode result = Json.MAPPER.createObjectNode().put("rows", items);
        ObjectNode outcome = result.putObject("batch_processing_outcome").put("type", "create_batches")
                .put("worker_template_name", "process_csv_batch").put("worker_count", workers)
                .put("total_items", items);
        ArrayNode cursors = outcome.putArray("cursor_configs");
        long size = (items + workers - 1) / workers;
        String format = workers >= 1000 ? "%05d" : "%03d";
        for (int i = 0; i < workers; i++) {
            long start = i * size;
            long end = Math.min(items, start + size);
            cursors.addObject().put("batch_id", String.format(format, workers >= 1000 ? i : i + 1))
                    .put("start_cursor", start).put("end_cursor", end).put("batch_size", end - start);
        }
        return result;
    }

    private List<Integer> positions(UUID task) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c,
                "select position from tasker_steps where task_id = ? order by coalesce(batch_of, position), position",
                row -> row.getInt(1), task));
    }

    private int count(UUID task, String where) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select count(*) from tasker_steps where task_id = ? and " + where, row -> row.getInt(1), task))
                .orElseThrow();
    }
}
