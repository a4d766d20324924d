package io.tasker.orchestration;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepQueue;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a task's steps by hand, as one worker would (claim, record), and reads them back: the tests
 * of dynamic workflows step the machine with it.
 */
final class StepDriver {
    static final String WORKER = "worker-1";
    static final Duration LEASE = Duration.ofSeconds(30);

    /** Steps claimed along with the ones asked for, by name, kept for later. */
    final Map<String, ClaimedStep> held = new HashMap<>();
    private final DataSource dataSource;
    private final String namespace;
    private final TaskQueries queries;
    private final ResultRecorder recorder;

    StepDriver(DataSource dataSource, String namespace) {
        this.dataSource = dataSource;
        this.namespace = namespace;
        this.queries = new TaskQueries(dataSource);
        this.recorder = new ResultRecorder(dataSource);
    }

    TaskView view(UUID task) {
        return queries.find(task).orElseThrow();
    }

    StepView step(UUID task, String name) {
        return view(task).steps().stream().filter(step -> step.name().equals(name)).findFirst().orElseThrow();
    }

    List<String> names(UUID task) {
        return view(task).steps().stream().map(StepView::name).toList();
    }

    /** The step {@code name}, claimed with whatever else is ready (and kept for later). */
    ClaimedStep claim(String name) {
        StepQueue.claim(dataSource, WORKER, List.of(namespace), 10, LEASE)
                .forEach(step -> held.put(step.stepName(), step));
        ClaimedStep step = held.remove(name);
        assertThat(step).as("step %s is ready", name).isNotNull();
        return step;
    }

    RecordResult record(ClaimedStep step, Object result) {
        return recorder.record(WORKER, FinishedStep.of(step, new StepOutcome.Success(Json.MAPPER.valueToTree(result),
                null)));
    }

    RecordResult complete(String name, Object result) {
        return record(claim(name), result);
    }

    int parentsPending(UUID task, String step) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select parents_pending from tasker_steps where task_id = ? and name = ?", row -> row.getInt(1), task,
                step)).orElseThrow();
    }
}
