package io.tasker.bench.internal;

import io.tasker.bench.Measure;
import io.tasker.server.api.ApiServer;
import io.tasker.server.api.ApiServices;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code linear-rest} and {@code create-rest}: the linear example through the REST API, one task
 * at a time, with the API, the worker and the database in this process as in {@code tasker dev}.
 *
 * <p>Each task is {@code POST}ed, then the client learns of its end from the completion watch and
 * reads it once with {@code GET}, which must say {@code complete}. That is what a client polling
 * without pause would see, minus the load such polling would put on the two cores; a real
 * client polling every few milliseconds sees up to one interval more. {@code create-rest} times
 * the {@code POST} alone and still waits for each task (untimed), so every creation meets a quiet
 * system and no backlog builds up.
 */
final class RestScenario implements Scenario {
    private final boolean endToEnd;

    private RestScenario(boolean endToEnd) {
        this.endToEnd = endToEnd;
    }

    static RestScenario linear() {
        return new RestScenario(true);
    }

    static RestScenario createOnly() {
        return new RestScenario(false);
    }

    @Override
    public String name() {
        return endToEnd ? "linear-rest" : "create-rest";
    }

    @Override
    public String description() {
        return endToEnd ? "the linear task through the REST API: POST, then GET once it completed (p50/p99)"
                : "task creation through the REST API: POST /v1/tasks alone (p50)";
    }

    @Override
    public List<Measure> run(Run run) throws Exception {
        Latencies total = new Latencies();
        Latencies posts = new Latencies();
        try (ApiServer api = ApiServer.start(ApiServer.DEFAULT_HOST, 0,
                ApiServices.on(run.environment().database().dataSource()));
             CompletionWatch completions = run.environment().watchCompletions();
             JavaWorker ignored = JavaWorker.start(run.environment().database(),
                     List.of(Workflow.LINEAR.namespace()), run.options().workerSlots())) {
            RestClient client = new RestClient(api.url());
            run.progress().line("REST API at %s", api.url());
            loop(run, client, completions, run.options().warmupOr(200), new Latencies(), new Latencies(), "warmup");
            run.environment().analyze();
            loop(run, client, completions, run.options().tasksOr(1000), total, posts, "measured");
        }
        if (!endToEnd) {
            return posts.measures("POST /v1/tasks", Latencies.Unit.MILLIS, false, Targets.CREATE_REST_P50, null);
        }
        List<Measure> measures = new ArrayList<>(total.measures("POST->GET complete", Latencies.Unit.MILLIS, false,
                Targets.LINEAR_REST_P50, Targets.LINEAR_REST_P99));
        measures.add(Measure.of("POST /v1/tasks p50", posts.percentile(50, Latencies.Unit.MILLIS), "ms"));
        return measures;
    }

    private void loop(Run run, RestClient client, TaskCompletions completions, int count, Latencies total,
            Latencies posts, String label) throws Exception {
        BenchEnvironment environment = run.environment();
        for (int i = 1; i <= count; i++) {
            long start = System.nanoTime();
            UUID taskId = client.createTask(Workflow.LINEAR.namespace(), Workflow.LINEAR.name(),
                    environment.taskContext());
            posts.record(System.nanoTime() - start);
            FinishedTask finished = completions.await(taskId, SequentialTasks.TASK_TIMEOUT);
            SequentialTasks.requireComplete(finished);
            String state = client.taskState(taskId);
            total.record(System.nanoTime() - start);
            if (!"complete".equals(state)) {
                throw new IllegalStateException("GET /v1/tasks/" + taskId + " says " + state
                        + " after the task's completion committed");
            }
            run.progress().count(label, i, count);
        }
    }
}
