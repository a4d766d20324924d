package io.tasker.orchestration.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.Ids;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.orchestration.ContextError;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * A registered template prepared once for creating many tasks: its input schema compiled, and its
 * steps laid out as column arrays for set-based inserts, so creating a task costs the same few
 * statements however many steps it has. Immutable, and shared by every thread creating tasks.
 */
public final class TaskBlueprint {
    /**
     * Steps and their creation history in one statement. {@code with ordinality} numbers the steps
     * in template order, which is the order they are shown in.
     */
    private static final String INSERT_STEPS = """
            with steps as (
                insert into tasker_steps (id, task_id, position, name, namespace, handler_callable, state,
                                          max_attempts, retryable, backoff_base_ms, max_backoff_ms, timeout_seconds,
                                          priority, inputs)
                select s.id, ?, s.position, s.name, ?, s.handler_callable, 'pending',
                       s.max_attempts, s.retryable, s.backoff_base_ms, s.max_backoff_ms, s.timeout_seconds,
                       ?, s.inputs::jsonb
                  from unnest(?::uuid[], ?::text[], ?::text[], ?::int[], ?::boolean[], ?::bigint[], ?::bigint[],
                              ?::int[], ?::text[])
                       with ordinality as s (id, name, handler_callable, max_attempts, retryable, backoff_base_ms,
                                             max_backoff_ms, timeout_seconds, inputs, position)
                returning id, task_id
            )
            insert into tasker_step_transitions (step_id, task_id, from_state, to_state)
            select id, task_id, null, 'pending' from steps
            """;

    private static final String INSERT_EDGES = """
            insert into tasker_step_edges (task_id, from_step_id, to_step_id)
            select ?, e.from_step_id, e.to_step_id
              from unnest(?::uuid[], ?::uuid[]) as e (from_step_id, to_step_id)
            """;

    private final TaskTemplate template;
    private final InputSchema inputSchema;
    private final String[] names;
    private final String[] callables;
    private final Integer[] maxAttempts;
    private final Boolean[] retryable;
    private final Long[] backoffBaseMs;
    private final Long[] maxBackoffMs;
    private final Integer[] timeoutSeconds;
    /** Handler initialization as JSON text; PostgreSQL casts it to jsonb. */
    private final String[] inputs;
    /** Edge i runs from step {@code edgeFrom[i]} to step {@code edgeTo[i]}, by template index. */
    private final int[] edgeFrom;
    private final int[] edgeTo;
    private final int[] roots;

    private TaskBlueprint(TaskTemplate template) {
        List<StepTemplate> steps = template.steps();
        this.template = template;
        this.inputSchema = InputSchema.compile(template.inputSchema());
        this.names = column(steps, StepTemplate::name, String[]::new);
        this.callables = column(steps, step -> step.handler().callable(), String[]::new);
        this.maxAttempts = column(steps, step -> step.retry().maxAttempts(), Integer[]::new);
        this.retryable = column(steps, step -> step.retry().retryable(), Boolean[]::new);
        this.backoffBaseMs = column(steps, step -> step.retry().backoffBaseMs(), Long[]::new);
        this.maxBackoffMs = column(steps, step -> step.retry().maxBackoffMs(), Long[]::new);
        this.timeoutSeconds = column(steps, StepTemplate::timeoutSeconds, Integer[]::new);
        this.inputs = column(steps, step -> Json.write(step.handler().initialization()), String[]::new);

        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            index.put(names[i], i);
        }
        List<int[]> edges = new ArrayList<>();
        for (int to = 0; to < steps.size(); to++) {
            for (String parent : steps.get(to).dependsOn()) {
                edges.add(new int[] {index.get(parent), to});
            }
        }
        this.edgeFrom = edges.stream().mapToInt(edge -> edge[0]).toArray();
        this.edgeTo = edges.stream().mapToInt(edge -> edge[1]).toArray();
        this.roots = IntStream.range(0, steps.size()).filter(i -> steps.get(i).dependsOn().isEmpty()).toArray();
    }

    public static TaskBlueprint of(TaskTemplate template) {
        return new TaskBlueprint(template);
    }

    public TaskTemplate template() {
        return template;
    }

    /** Every reason {@code context} does not fit the template's input_schema; empty when it does. */
    public List<ContextError> check(JsonNode context) {
        return inputSchema.check(context);
    }

    /**
     * Inserts the task's steps in state {@code pending} with their first history row, and the edges
     * between them, in the caller's transaction.
     *
     * @return the ids of the root steps (those without dependencies), to be enqueued
     */
    public List<UUID> insertSteps(Connection connection, UUID taskId, String namespace, int priority)
            throws SQLException {
        UUID[] ids = new UUID[names.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Ids.newId();
        }
        // Ids of one millisecond are random among themselves; sorted, they follow template order, and so
        // do the queue's tie-breaks between steps enqueued together. (Java's signed UUID order agrees
        // with PostgreSQL's for version 7 ids: the high bit is 0 in every msb and 1 in every lsb.)
        Arrays.sort(ids);
        Jdbc.update(connection, INSERT_STEPS, taskId, namespace, priority,
                new Jdbc.ArrayParam("uuid", ids), new Jdbc.ArrayParam("text", names),
                new Jdbc.ArrayParam("text", callables), new Jdbc.ArrayParam("int4", maxAttempts),
                new Jdbc.ArrayParam("bool", retryable), new Jdbc.ArrayParam("int8", backoffBaseMs),
                new Jdbc.ArrayParam("int8", maxBackoffMs), new Jdbc.ArrayParam("int4", timeoutSeconds),
                new Jdbc.ArrayParam("text", inputs));
        if (edgeFrom.length > 0) {
            Jdbc.update(connection, INSERT_EDGES, taskId,
                    new Jdbc.ArrayParam("uuid", pick(ids, edgeFrom)), new Jdbc.ArrayParam("uuid", pick(ids, edgeTo)));
        }
        return List.of(pick(ids, roots));
    }

    private static <T> T[] column(List<StepTemplate> steps, Function<StepTemplate, T> value,
                                  IntFunction<T[]> array) {
        return steps.stream().map(value).toArray(array);
    }

    private static UUID[] pick(UUID[] ids, int[] indexes) {
        UUID[] picked = new UUID[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            picked[i] = ids[indexes[i]];
        }
        return picked;
    }
}
