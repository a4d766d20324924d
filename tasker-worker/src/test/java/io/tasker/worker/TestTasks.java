package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.Ids;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.template.RegisteredTemplate;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TemplateRegistry;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creates a task from the newest version of a registered template the way task creation does:
 * task, steps and edges in one transaction that also enqueues the root steps. It stands in for
 * orchestration's task creator until that is merged.
 */
final class TestTasks {
    private TestTasks() {}

    static UUID create(DataSource dataSource, TemplateRegistry registry, String namespace, String name,
            JsonNode context) {
        RegisteredTemplate registered = registry.newest(namespace, name).orElseThrow(() ->
                new IllegalArgumentException("no template " + namespace + "/" + name));
        UUID taskId = Ids.newId();
        Map<String, UUID> stepIds = new HashMap<>();
        registered.template().steps().forEach(step -> stepIds.put(step.name(), Ids.newId()));
        Jdbc.inTransaction(dataSource, c -> {
            Jdbc.update(c, """
                    insert into tasker_tasks (id, template_id, namespace, name, version, state, context, identity_hash)
                    values (?, ?, ?, ?, ?, 'in_progress', ?, ?)
                    """, taskId, registered.id(), namespace, name, registered.template().version().toString(),
                    Jdbc.json(context.toString()), taskId.toString());
            for (StepTemplate step : registered.template().steps()) {
                Jdbc.update(c, """
                        insert into tasker_steps (id, task_id, name, namespace, handler_callable, state, max_attempts,
                                                  retryable, backoff_base_ms, max_backoff_ms, timeout_seconds)
                        values (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
                        """, stepIds.get(step.name()), taskId, step.name(), namespace, step.handler().callable(),
                        step.retry().maxAttempts(), step.retry().retryable(), step.retry().backoffBaseMs(),
                        step.retry().maxBackoffMs(), step.timeoutSeconds());
                for (String parent : step.dependsOn()) {
                    Jdbc.update(c, "insert into tasker_step_edges (task_id, from_step_id, to_step_id) values (?, ?, ?)",
                            taskId, stepIds.get(parent), stepIds.get(step.name()));
                }
            }
            List<UUID> roots = registered.template().steps().stream().filter(step -> step.dependsOn().isEmpty())
                    .map(step -> stepIds.get(step.name())).toList();
            return StepQueue.enqueue(c, roots);
        });
        return taskId;
    }
}
