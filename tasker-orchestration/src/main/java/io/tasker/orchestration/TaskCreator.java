package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.Ids;
import io.tasker.core.JsonLimits;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.StepRows;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.internal.TaskBlueprint;
import io.tasker.orchestration.internal.TaskIdentity;
import io.tasker.orchestration.internal.TemplateResolver;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Creates tasks (ARCHITECTURE.md step 1). Everything that can refuse a request (the template, the
 * context, the idempotency key) is checked before the database is asked. Then ONE call of the
 * server-side function {@code tasker_create_task} (V2 and V6 migrations) inserts the task and its steps,
 * enqueues the root steps and answers with the task as clients see it: one round trip and one
 * commit. When a worker in this process has free slots ({@link LocalDispatch}), the same
 * transaction claims the roots for it and they start without a notification; otherwise the commit
 * notifies the workers of the namespace. A step behind a decision is not created with the task but
 * when the decision chooses it (see docs/dynamic-workflows.md).
 *
 * <p>Duplicates are decided by the unique index on {@code identity_hash}: the task insert skips a
 * row whose identity exists (waiting for a concurrent insert of it to commit first), and then
 * nothing else is written. So of two concurrent requests for the same task exactly one creates it
 * and the other is told its id.
 */
public final class TaskCreator {
    private static final String CREATE = """
            select * from tasker_create_task(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;
    /** A newer version registered between two lookups, twice over, is not worth a third try. */
    private static final int MAX_RESOLVES = 3;

    private final DataSource dataSource;
    private final TemplateResolver templates;
    private final LocalDispatch local;

    public TaskCreator(DataSource dataSource, TemplateRegistry registry) {
        this(dataSource, registry, LocalDispatch.NONE);
    }

    /** A creator whose tasks' first steps go to the workers of this process when they have room. */
    public TaskCreator(DataSource dataSource, TemplateRegistry registry, LocalDispatch local) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.templates = new TemplateResolver(dataSource, registry);
        this.local = Objects.requireNonNull(local, "local");
    }

    /**
     * Creates the task {@code request} asks for, or finds the task that already has its identity.
     *
     * @throws UnknownTemplateException when the template or the version is not registered
     * @throws InvalidContextException when the context does not match the template's input_schema
     * @throws InvalidTaskRequestException when the request is malformed (a bad version, a missing idempotency_key)
     */
    public CreateTaskResult create(TaskRequest request) {
        return create(request, true);
    }

    /**
     * As {@link #create(TaskRequest)}, answering with the new task's id only ({@code Created.task()}
     * is null): for callers that follow the task by other means, and save the database building
     * the task's view.
     */
    public CreateTaskResult start(TaskRequest request) {
        return create(request, false);
    }

    private CreateTaskResult create(TaskRequest request, boolean withView) {
        Objects.requireNonNull(request, "request");
        for (int resolves = 1; ; resolves++) {
            TemplateResolver.Resolved resolved = templates.resolve(request.namespace(), request.name(),
                    request.version());
            CreateTaskResult result = create(request, resolved, withView);
            if (result != null) {
                return result;
            }
            templates.forget(request.namespace(), request.name(), request.version());
            if (resolves == MAX_RESOLVES) {
                throw new DatabaseException("the newest version of " + resolved.blueprint().template().key()
                        + " kept changing while a task of it was being created; try again");
            }
        }
    }

    /** Null when the resolved template is no longer the newest version. */
    private CreateTaskResult create(TaskRequest request, TemplateResolver.Resolved resolved, boolean withView) {
        TaskBlueprint blueprint = resolved.blueprint();
        TaskTemplate template = blueprint.template();
        JsonNode context = request.context() == null || request.context().isNull() || request.context().isMissingNode()
                ? Json.MAPPER.createObjectNode()
                : request.context();
        List<ContextError> errors = new ArrayList<>(blueprint.check(context));
        JsonLimits.problems(context, "$").forEach(p -> errors.add(new ContextError(p.path(), p.message())));
        if (!errors.isEmpty()) {
            throw new InvalidContextException(template.key(), errors);
        }
        if (Stream.concat(Stream.of(request.initiator(), request.sourceSystem(),
                        request.reason()), request.tags().stream())
                .anyMatch(text -> text != null && text.indexOf('\u0000') >= 0)) {
            throw new InvalidTaskRequestException("the task request cannot be stored: initiator, source_system, "
                    + "reason and tags must not contain the character U+0000");
        }
        UUID taskId = Ids.newId();
        String identity = TaskIdentity.of(template, context, request.idempotencyKey(), taskId);
        int priority = request.priority() == null ? 0 : request.priority();
        String contextJson = Json.write(context);
        String tagsJson = Json.write(request.tags());

        LocalDispatch.Reservation reservation = local.reserve(template.namespace(), blueprint.rootCallables(), blueprint.roots());
        List<ClaimedStep> claimed = new ArrayList<>();
        try {
            Object[] params = {taskId, resolved.templateId(), resolved.newestOnly(), Jdbc.json(contextJson), identity,
                    request.correlationId(), priority, request.initiator(), request.sourceSystem(), request.reason(),
                    Jdbc.json(tagsJson), Jdbc.json(blueprint.layout()), new Jdbc.ArrayParam("uuid", blueprint.newStepIds()),
                    reservation == null ? null : reservation.workerId(),
                    reservation == null || reservation.callables() == null
                            ? Jdbc.textArray(blueprint.rootCallables())
                            : Jdbc.textArray(reservation.callables()),
                    reservation == null ? 0 : reservation.slots(),
                    reservation == null ? 1.0 : reservation.lease().toNanos() / 1e9, withView,
                    blueprint.plan()};
            return Jdbc.withConnection(dataSource, c -> {
                CreateTaskResult result = null;
                try (PreparedStatement statement = Jdbc.prepare(c, CREATE, params);
                     ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        switch (StepRows.kind(rows)) {
                            case StepRows.CLAIMED -> claimed.add(StepRows.claimed(rows));
                            case "created" -> result = new CreateTaskResult.Created(taskId, withView
                                    ? TaskQueries.fromDocument(rows.getString("context")) : null);
                            case "duplicate" -> result = new CreateTaskResult.Duplicate(Jdbc.uuid(rows, "task_id"));
                            case "stale_template" -> result = null;
                            default -> throw new DatabaseException("tasker_create_task answered with an unknown row '"
                                    + StepRows.kind(rows) + "'");
                        }
                    }
                }
                return result;
            });
        } finally {
            if (reservation != null) {
                reservation.dispatch(claimed);
            }
        }
    }
}
