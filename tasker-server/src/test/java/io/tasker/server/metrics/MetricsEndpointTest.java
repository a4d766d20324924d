package io.tasker.server.metrics;

import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} of a running Tasker after a task went through the API and the worker. */
class MetricsEndpointTest {
    /** A sample line of the Prometheus text format: a name, labels maybe, one value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})?) "
                    + "([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))");

    private static RunningTasker tasker;
    private static Http http;
    private static Map<String, Double> samples;
    private static Http.Response scrape;

    @BeforeAll
    static void runATaskThenScrape() {
        tasker = RunningTasker.start();
        http = new Http(tasker.url());
        Tasks tasks = new Tasks(http);
        tasks.awaitFinished(tasks.create("linear_workflow", "{\"even_number\": 8}"));
        http.get("/v1/no-such-endpoint");
        scrape = http.get("/metrics");
        samples = parse(scrape.body());
    }

    @AfterAll
    static void stop() {
        tasker.close();
    }

    @Test
    void isPrometheusTextEveryLineOfWhichParses() {
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(samples).isNotEmpty();
        assertThat(scrape.body()).contains("# TYPE tasker_tasks_created_total counter")
                .contains("# HELP tasker_tasks_created_total ");
    }

    @Test
    void countsTheTasksCreatedThroughTheApi() {
        assertThat(samples.get("tasker_tasks_created_total")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void showsTheWorkInTheDatabase() {
        for (String state : new String[] {"enqueued", "in_progress", "waiting_for_retry"}) {
            assertThat(samples).containsKey("tasker_steps{namespace=\"examples\",state=\"" + state + "\"}");
        }
        assertThat(samples).containsKeys("tasker_tasks_open{state=\"pending\"}", "tasker_tasks_open{state=\"in_progress\"}",
                "tasker_tasks_finished_total{state=\"complete\"}", "tasker_tasks_finished_total{state=\"error\"}");
    }

    @Test
    void showsTheWorkerOfThisProcess() {
        assertThat(sum("tasker_worker_steps_published_total")).isGreaterThanOrEqualTo(4.0);
        assertThat(sum("tasker_worker_steps_completed_total")).isGreaterThanOrEqualTo(4.0);
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("tasker_worker_steps_failed_total{worker_id="));
        assertThat(sum("tasker_worker_slots")).isGreaterThanOrEqualTo(1.0);
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("tasker_worker_slots_busy{"));
    }

    @Test
    void showsHttpRequestsByRouteAndStatusWithALatencyHistogram() {
        assertThat(samples.get("http_server_requests_seconds_count{method=\"POST\",route=\"/v1/tasks\",status=\"201\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(samples).containsKey(
                "http_server_requests_seconds_bucket{method=\"POST\",route=\"/v1/tasks\",status=\"201\",le=\"0.01\"}");
        assertThat(samples.get("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}"))
                .isEqualTo(1.0);
        assertThat(samples.keySet()).noneMatch(name -> name.contains("no-such-endpoint"));
    }

    @Test
    void showsTheJvmAndTheConnectionPool() {
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"));
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_threads_live_threads"));
        assertThat(samples.keySet()).anyMatch(name -> name.startsWith("jvm_gc_"));
        assertThat(samples.get("tasker_db_pool_size")).isGreaterThanOrEqualTo(1.0);
        assertThat(samples).containsKeys("tasker_db_pool_connections{state=\"active\"}",
                "tasker_db_pool_connections{state=\"idle\"}", "tasker_db_pool_pending");
    }

    private static double sum(String name) {
        return samples.entrySet().stream()
                .filter(sample -> sample.getKey().equals(name) || sample.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** Every sample by its name and labels; fails on a line that is neither a sample nor a comment. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> parsed = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a Prometheus sample line: %s", line).isTrue();
            String value = sample.group(2);
            parsed.put(sample.group(1), value.endsWith("Inf") ? (value.startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY) : Double.parseDouble(value));
        }
        return parsed;
    }
}
