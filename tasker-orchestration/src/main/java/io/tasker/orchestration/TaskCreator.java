package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.Ids;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.internal.TaskBlueprint;
import io.tasker.orchestration.internal.TaskIdentity;
import io.tasker.orchestration.internal.TemplateResolver;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates tasks (ARCHITECTURE.md step 1). Everything that can refuse a request (the template, the
 * context, the idempotency key) is checked before a transaction opens. Then ONE transaction inserts
 * the task, its steps, their edges and the first history rows, and enqueues the root steps, whose
 * commit notifies the workers of the namespace. Either all of it commits or none of it does.
 *
 * <p>Duplicates are decided by the unique index on {@code identity_hash}: the task insert skips a
 * row whose identity exists (waiting for a concurrent insert of it to commit first), and then
 * nothing else is written. So of two concurrent requests for the same task exactly one creates it
 * and the other is told its id.
 */
public final class TaskCreator {
    /** The task and its two opening transitions; returns nothing when the identity is taken. */
    private static final String INSERT_TASK = """
            with task as (
                insert into tasker_tasks (id, template_id, namespace, name, version, state, context, identity_hash,
                                          correlation_id, priority, initiator, source_system, reason, tags)
                values (?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (identity_hash) do nothing
                returning id
            ), history as (
                insert into tasker_task_transitions (task_id, from_state, to_state)
                select task.id, opening.from_state, opening.to_state
                  from task, (values (1, null, 'pending'), (2, 'pending', 'in_progress'))
                             as opening (seq, from_state, to_state)
                 order by opening.seq
            )
            select id from task
            """;

    private static final String EXISTING = "select id from tasker_tasks where identity_hash = ?";

    private final DataSource dataSource;
    private final TemplateResolver templates;

    public TaskCreator(DataSource dataSource, TemplateRegistry registry) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.templates = new TemplateResolver(dataSource, registry);
    }

    /**
     * Creates the task {@code request} asks for, or finds the task that already has its identity.
     *
     * @throws UnknownTemplateException when the template or the version is not registered
     * @throws InvalidContextException when the context does not match the template's input_schema
     * @throws InvalidTaskRequestException when the request is malformed (a bad version, a missing idempotency_key)
     */
    public CreateTaskResult create(TaskRequest request) {
        Objects.requireNonNull(request, "request");
        TemplateResolver.Resolved resolved = templates.resolve(request.namespace(), request.name(), request.version());
        TaskBlueprint blueprint = resolved.blueprint();
        TaskTemplate template = blueprint.template();
        JsonNode context = request.context() == null || request.context().isNull() || request.context().isMissingNode()
                ? Json.MAPPER.createObjectNode()
                : request.context();
        List<ContextError> errors = blueprint.check(context);
        if (!errors.isEmpty()) {
            throw new InvalidContextException(template.key(), errors);
        }
        UUID taskId = Ids.newId();
        String identity = TaskIdentity.of(template, context, request.idempotencyKey(), taskId);
        int priority = request.priority() == null ? 0 : request.priority();

        return Jdbc.inTransaction(dataSource, c -> {
            Optional<UUID> inserted = Jdbc.queryOne(c, INSERT_TASK, row -> Jdbc.uuid(row, "id"),
                    taskId, resolved.templateId(), template.namespace(), template.name(),
                    template.version().toString(), Jdbc.json(Json.write(context)), identity, request.correlationId(),
                    priority, request.initiator(), request.sourceSystem(), request.reason(),
                    Jdbc.json(Json.write(request.tags())));
            if (inserted.isEmpty()) {
                return new CreateTaskResult.Duplicate(existing(c, identity, template));
            }
            List<UUID> roots = blueprint.insertSteps(c, taskId, template.namespace(), priority);
            StepQueue.enqueue(c, roots);
            return new CreateTaskResult.Created(TaskQueries.find(c, taskId).orElseThrow());
        });
    }

    /** A new statement, so under READ COMMITTED it sees the task whose insert made ours a no-op. */
    private static UUID existing(Connection connection, String identity, TaskTemplate template) throws SQLException {
        return Jdbc.queryOne(connection, EXISTING, row -> Jdbc.uuid(row, "id"), identity).orElseThrow(() ->
                new DatabaseException("a task of " + template.key() + " was neither inserted nor found by its identity"));
    }
}
