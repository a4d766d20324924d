package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.server.node.RubyHandlers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tasker.server.Tasks.step;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV batch example in both languages, as a user runs it: {@code examples/csv_batch_processing}
 * (Java handlers, Tasker's template format) and {@code examples_ruby/csv_batch_processing} (Ruby
 * handlers in tasker-core's style and format), created and followed over HTTP on a real
 * PostgreSQL. The batchable step creates one worker per cursor range, each worker checkpoints as
 * it counts its rows, and the convergence step's totals are exact.
 */
class CsvBatchExampleTest {
    private static final String TEMPLATE = "csv_batch_processing";
    private static final String[] CATEGORIES = {"electronics", "books", "clothing", "home", "toys"};
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static RunningTasker tasker;
    private static Tasks tasks;

    @BeforeAll
    static void start() {
        tasker = RunningTasker.withRuby(new RubyHandlers(true, List.of()));
        tasks = new Tasks(new Http(tasker.url()));
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples", "examples_ruby"})
    void aMillionRowsInAHundredBatchesEndWithTheExactTotals(String namespace) {
        JsonNode task = run(namespace, "{\"rows\": 1000000, \"batch_size\": 10000}");

        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        JsonNode outcome = step(task, "analyze_csv").at("/results/batch_processing_outcome");
        assertThat(outcome.get("type").asText()).isEqualTo("create_batches");
        assertThat(outcome.get("worker_template_name").asText()).isEqualTo("process_csv_batch");
        assertThat(outcome.get("worker_count").asInt()).isEqualTo(100);
        assertThat(outcome.get("total_items").asLong()).isEqualTo(1_000_000);
        assertThat(outcome.has("cursor_configs")).as("cursor_configs are kept in the workers' inputs only").isFalse();
        List<String> instances = new ArrayList<>();
        for (int k = 1; k <= 100; k++) {
            instances.add("process_csv_batch_%03d".formatted(k));
        }
        List<String> names = new ArrayList<>(List.of("analyze_csv", "aggregate_csv_results"));
        names.addAll(instances);
        assertThat(task.get("steps")).extracting(s -> s.get("name").asText()).containsExactlyInAnyOrderElementsOf(names);

        // Every 10,000 rows from a multiple of 1,000 hold each amount 0..999 ten times, and each category 2,000 times.
        JsonNode first = step(task, "process_csv_batch_001");
        assertThat(first.get("type").asText()).isEqualTo("batch_worker");
        assertThat(first.get("results")).isEqualTo(Json.parse("""
                {"batch_id": "001", "processed_count": 10000, "amount_sum": 4995000,
                 "category_counts": {"electronics": 2000, "books": 2000, "clothing": 2000, "home": 2000, "toys": 2000}}"""));
        // 10,000 rows, 2,500 per run: three checkpoints, the last before row 7,500.
        JsonNode checkpoint = step(task, "process_csv_batch_100").get("checkpoint");
        assertThat(checkpoint.get("cursor").asLong()).isEqualTo(997_500);
        assertThat(checkpoint.get("items_processed").asLong()).isEqualTo(7_500);
        assertThat(checkpoint.get("history")).hasSize(3);

        // 1,000 full cycles of the amounts 0..999: 1000 * 499,500.
        assertThat(step(task, "aggregate_csv_results").get("results")).isEqualTo(Json.parse("""
                {"processed_count": 1000000, "amount_sum": 499500000, "worker_count": 100,
                 "category_counts": {"electronics": 200000, "books": 200000, "clothing": 200000, "home": 200000,
                                     "toys": 200000}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples", "examples_ruby"})
    void noRowsMakeNoBatchesAndTheTotalsAreZero(String namespace) {
        JsonNode task = run(namespace, "{\"rows\": 0}");

        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        assertThat(step(task, "analyze_csv").at("/results/batch_processing_outcome/type").asText())
                .isEqualTo("no_batches");
        assertThat(task.get("steps")).extracting(s -> s.get("name").asText())
                .containsExactlyInAnyOrder("analyze_csv", "process_csv_batch_001", "aggregate_csv_results");
        JsonNode placeholder = step(task, "process_csv_batch_001");
        assertThat(placeholder.at("/batch/no_op").asBoolean()).isTrue();
        // tasker-core's Ruby BatchWorkerContext gives a placeholder no cursor, so its batch_id reads 'unknown' there.
        assertThat(placeholder.at("/results/no_op").asBoolean()).isTrue();
        assertThat(placeholder.at("/results/processed_count").asLong()).isZero();
        assertThat(step(task, "aggregate_csv_results").get("results")).isEqualTo(Json.parse("""
                {"processed_count": 0, "amount_sum": 0, "category_counts": {}, "worker_count": 0}"""));
    }

    @Test
    void javaAndRubyEndWithTheSameResultsStepForStep() {
        // 25,000 rows in batches of at most 7,000: four workers of 6,250 rows, each checkpointing twice.
        String context = "{\"rows\": 25000, \"batch_size\": 7000}";
        JsonNode java = run("examples", context);
        JsonNode ruby = run("examples_ruby", context);

        assertThat(java.get("state").asText()).as(java.toString()).isEqualTo("complete");
        assertThat(ruby.get("state").asText()).as(ruby.toString()).isEqualTo("complete");
        assertThat(ruby.get("steps")).hasSameSizeAs(java.get("steps")).hasSize(6);
        for (JsonNode step : java.get("steps")) {
            String name = step.get("name").asText();
            if (!name.equals("analyze_csv")) {
                assertThat(step(ruby, name).get("results")).as(name).isEqualTo(step.get("results"));
            }
        }
        assertThat(step(ruby, "analyze_csv").at("/results/batch_processing_outcome"))
                .isEqualTo(step(java, "analyze_csv").at("/results/batch_processing_outcome"));
        assertThat(step(java, "process_csv_batch_004").at("/results/processed_count").asLong()).isEqualTo(6_250);
        assertThat(step(java, "aggregate_csv_results").get("results")).isEqualTo(expectedTotals(25_000, 4));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples", "examples_ruby"})
    void tooManyBatchesFailTheBatchableStepSayingWhichBatchSizeWouldDo(String namespace) {
        JsonNode task = run(namespace, "{\"rows\": 200001, \"batch_size\": 1}");

        assertThat(task.get("state").asText()).isEqualTo("error");
        JsonNode analyze = step(task, "analyze_csv");
        assertThat(analyze.get("attempts").asInt()).isEqualTo(1);
        assertThat(analyze.at("/last_error/message").asText()).isEqualTo("200001 rows in batches of 1 make 200001 "
                + "batches; at most 100000 are allowed: give a batch_size of at least 3");
        assertThat(task.get("steps")).hasSize(1);
    }

    /** The totals counted row by row, independently of the handlers. */
    private static JsonNode expectedTotals(long rows, int workers) {
        long amountSum = 0;
        long[] counts = new long[CATEGORIES.length];
        for (long row = 0; row < rows; row++) {
            amountSum += row * 7919 % 1000;
            counts[(int) (row % CATEGORIES.length)]++;
        }
        Map<String, Long> categoryCounts = new LinkedHashMap<>();
        for (int c = 0; c < CATEGORIES.length; c++) {
            categoryCounts.put(CATEGORIES[c], counts[c]);
        }
        // Through text, so numbers compare as the API's parsed ones do.
        return Json.parse(Json.write(Map.of("processed_count", rows, "amount_sum", amountSum,
                "category_counts", categoryCounts, "worker_count", workers)));
    }

    /** Runs a task of the example with its own run number, since the same context twice would be the same task. */
    private static JsonNode run(String namespace, String context) {
        String unique = context.substring(0, context.length() - 1) + ", \"run\": " + RUNS.incrementAndGet() + "}";
        return tasks.awaitFinished(tasks.create(namespace, TEMPLATE, unique)).json();
    }
}
