package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateLoadResult.Loaded;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tasker.core.template.DecisionTemplatesTest.load;
import static io.tasker.core.template.DecisionTemplatesTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batchable and batch worker steps in templates: their keys, shapes, warnings and stored form. */
class BatchTemplatesTest {
    static final String CSV = """
            namespace: batches
            name: csv
            version: 1.0.0
            steps:
              - name: analyze_csv
                type: batchable
                handler: {callable: Csv::Analyze}
              - name: process_csv_batch
                type: batch_worker
                handler: {callable: Csv::Process}
                depends_on: [analyze_csv]
                batch_config:
                  batch_size: 200
                  parallelism: 5
                  cursor_field: row_number
                  worker_template: process_csv_batch
                  failure_strategy: isolate_failed
                  checkpoint_interval: 25
              - name: aggregate
                type: deferred_convergence
                handler: {callable: Csv::Aggregate}
                depends_on: [process_csv_batch]
            """;

    @Test
    void readsBatchStepsAndTheirBatchConfig() {
        TaskTemplate template = load(CSV).template();
        StepTemplate worker = template.step("process_csv_batch").orElseThrow();
        assertThat(worker.type()).isEqualTo(StepType.BATCH_WORKER);
        assertThat(worker.batchConfig()).isEqualTo(new BatchConfig(200, 5, "row_number", "process_csv_batch",
                "isolate_failed", 25));
        assertThat(template.step("analyze_csv").orElseThrow().type()).isEqualTo(StepType.BATCHABLE);
        assertThat(template.hasBatches()).isTrue();
        assertThat(template.createdLater("analyze_csv")).isFalse();
        assertThat(template.createdLater("process_csv_batch")).isTrue();
        assertThat(template.createdLater("aggregate")).isTrue();
        assertThat(load(CSV).warnings()).isEmpty();

        String config = CSV.substring(CSV.indexOf("    batch_config:"), CSV.indexOf("  - name: aggregate"));
        assertThat(load(CSV.replace(config, "")).template().step("process_csv_batch").orElseThrow().batchConfig())
                .isNull();
        assertThat(load(CSV.replace(config, "    batch_config: {cursor_field: id}\n")).template()
                .step("process_csv_batch").orElseThrow().batchConfig())
                .isEqualTo(new BatchConfig(null, null, "id", null, "fail_fast", 100));
    }

    @Test
    void theStoredFormWritesBatchConfigOnlyWhereGivenAndReadsItBack() {
        TaskTemplate template = load(CSV).template();
        JsonNode json = Json.parse(template.toJson());
        assertThat(json.at("/steps/1/batch_config")).isEqualTo(Json.parse("""
                {"batch_size": 200, "parallelism": 5, "cursor_field": "row_number",
                 "worker_template": "process_csv_batch", "failure_strategy": "isolate_failed",
                 "checkpoint_interval": 25}"""));
        assertThat(json.at("/steps/0").has("batch_config")).isFalse();
        assertThat(json.at("/steps/1/type").asText()).isEqualTo("batch_worker");
        TaskTemplate back = TaskTemplate.fromJson(template.toJson());
        assertThat(back).isEqualTo(template);
        assertThat(back.contentHash()).isEqualTo(template.contentHash());
    }

    @Test
    void batchConfigKeysAndValuesAreCheckedWithTheirLine() {
        assertThat(problems(CSV.replace("parallelism: 5", "parallelsm: 5")
                .replace("failure_strategy: isolate_failed", "failure_strategy: retry_all")
                .replace("checkpoint_interval: 25", "checkpoint_interval: 0"))).containsExactly(
                "broken.yaml:14: step 'process_csv_batch': unknown key 'parallelsm' in batch_config; did you mean "
                        + "'parallelism'?",
                "broken.yaml:17: step 'process_csv_batch': batch_config.failure_strategy 'retry_all' is not one of "
                        + "fail_fast, continue_on_failure, isolate_failed",
                "broken.yaml:18: step 'process_csv_batch': batch_config.checkpoint_interval must be greater than 0, "
                        + "got 0");
        assertThat(problems(CSV.replace("batch_size: 200", "batch_size: lots"))).containsExactly(
                "broken.yaml:13: step 'process_csv_batch': batch_config.batch_size must be a whole number, got text "
                        + "\"lots\"");
    }

    @Test
    void aBatchWorkerDependsOnExactlyOneBatchableStepAndABatchableStepHasAWorker() {
        assertThat(problems("""
                namespace: batches
                name: broken
                version: 1.0.0
                steps:
                  - name: start
                    handler: {callable: Start}
                  - name: split
                    type: batchable
                    handler: {callable: Split}
                  - name: lonely
                    type: batchable
                    handler: {callable: Lonely}
                  - name: work
                    type: batch_worker
                    handler: {callable: Work}
                    depends_on: [start]
                  - name: both
                    type: batch_worker
                    handler: {callable: Both}
                    depends_on: [split, lonely]
                """)).containsExactly(
                "broken.yaml:13: step 'work': batch_worker step 'work' must depend on exactly one batchable step, "
                        + "the one whose outcome creates its instances; it depends on none",
                "broken.yaml:17: step 'both': batch_worker step 'both' must depend on exactly one batchable step, "
                        + "the one whose outcome creates its instances; it depends on 'split' and 'lonely'");
        assertThat(problems("""
                namespace: batches
                name: broken
                version: 1.0.0
                steps:
                  - name: split
                    type: batchable
                    handler: {callable: Split}
                  - name: after
                    handler: {callable: After}
                    depends_on: [split]
                """)).containsExactly("broken.yaml:5: step 'split': batchable step 'split' has no batch worker: add "
                + "a step of type batch_worker that lists it in depends_on");
    }

    @Test
    void aBatchWorkerMustBeAmongTheFirst1999Steps() {
        List<StepTemplate> steps = new ArrayList<>();
        HandlerSpec handler = new HandlerSpec("H");
        for (int i = 0; i < 1999; i++) {
            steps.add(new StepTemplate("s" + i, handler, List.of()));
        }
        steps.add(new StepTemplate("split", handler, List.of(), null, 30, StepType.BATCHABLE));
        steps.add(new StepTemplate("work", handler, List.of("split"), null, 30, StepType.BATCH_WORKER));
        assertThatThrownBy(() -> new TaskTemplate("batches", "long", SemVer.parse("1.0.0"), null, null, null, steps))
                .isInstanceOf(TemplateValidationException.class)
                .hasMessageContaining("batch_worker step 'work' is step #2001; a batch_worker step must be among the "
                        + "first 1999 steps of its template");
    }

    @Test
    void aStandardStepAfterABatchWorkerIsWarnedToBeADeferredConvergenceStep() {
        Loaded loaded = load(CSV.replace("    type: deferred_convergence\n    handler: {callable: Csv::Aggregate}",
                "    handler: {callable: Csv::Aggregate}"));
        assertThat(loaded.warnings()).extracting(TemplateProblem::format).containsExactly(
                "template.yaml:19: step 'aggregate': step 'aggregate' depends on batch_worker step "
                        + "'process_csv_batch': it waits for all of its instances, as tasker-core requires a "
                        + "deferred_convergence step to; make it type: deferred_convergence to say so");
    }
}
