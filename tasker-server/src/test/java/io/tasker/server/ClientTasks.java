package io.tasker.server;

import io.tasker.client.NewTask;
import io.tasker.client.Task;
import io.tasker.client.TaskerClient;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.internal.StaleTaskSweeper;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tasks in the states the client and CLI tests start from, made through the Java client. */
public final class ClientTasks {
    private final TaskerClient client;

    public ClientTasks(TaskerClient client) {
        this.client = client;
    }

    /** The task once it is complete, error, cancelled or resolved. */
    public Task settled(UUID taskId) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> client.getTask(taskId).isSettled());
        return client.getTask(taskId);
    }

    /**
     * An order whose payment fails more often than its step's 5 attempts allow: it ends in error,
     * validate_order and reserve_inventory complete, process_payment in error, ship_order pending.
     */
    public Task failedOrder(String orderId) {
        Task task = settled(client.createTask(NewTask.builder("examples", "order_fulfillment")
                .context(Map.of("order_id", orderId, "payment_failures", 7)).build()).taskUuid());
        assertThat(task.state()).isEqualTo("error");
        return task;
    }

    /**
     * A task of a template no worker serves, dead-lettered at once by a sweep that counts every
     * open task stale; {@code namespace} must be the test's own.
     */
    public Task deadLettered(RunningTasker tasker, String namespace) {
        new TemplateRegistry(tasker.database().dataSource()).register(TemplateLoader.parse("""
                namespace: %s
                name: stuck
                version: 1.0.0
                steps:
                  - name: wait
                    handler: {callable: nobody.Runs}
                """.formatted(namespace), "test").orThrow(), "test");
        Task stuck = client.createTask(NewTask.builder(namespace, "stuck").build());
        assertThat(new StaleTaskSweeper(tasker.database().dataSource(), Duration.ZERO, 100).sweep()).isPositive();
        return stuck;
    }

    public static UUID stepId(Task task, String name) {
        return task.step(name).orElseThrow().stepUuid();
    }
}
