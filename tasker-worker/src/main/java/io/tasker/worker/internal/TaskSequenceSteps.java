package io.tasker.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.worker.TaskSequenceStep;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Builds the {@link TaskSequenceStep}s of claimed steps from what the claim returned (the task's
 * context and the results of the step's ancestors, read in the claiming transaction), so running
 * a step needs no query of its own. Only the step's definition comes from its template, which is
 * read and parsed once per worker and then kept by id, since a registered template version never
 * changes; only a batch that meets a new template costs a query.
 */
final class TaskSequenceSteps {
    /** Templates are few; the bound only guards a long-running worker against endless versions. */
    private static final int MAX_CACHED_TEMPLATES = 1024;

    private static final String TEMPLATES = """
            select id, definition::text as definition
              from tasker_templates
             where id = any(?)
            """;

    /** A claimed step made ready to publish, or the reason it could not be. */
    sealed interface Prepared {
        ClaimedStep claim();

        record Ready(ClaimedStep claim, TaskSequenceStep step) implements Prepared {}

        record Failed(ClaimedStep claim, RuntimeException problem) implements Prepared {}
    }

    private final DataSource dataSource;
    private final Map<UUID, TaskTemplate> templates = new ConcurrentHashMap<>();

    TaskSequenceSteps(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One answer per claim, in order; never throws, so no claimed step is left without one. */
    List<Prepared> prepare(List<ClaimedStep> claims) {
        Map<UUID, Object> batchTemplates;
        try {
            batchTemplates = templates(claims.stream().map(ClaimedStep::templateId).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            return claims.stream().<Prepared>map(claim -> new Prepared.Failed(claim, e)).toList();
        }
        List<Prepared> prepared = new ArrayList<>(claims.size());
        for (ClaimedStep claim : claims) {
            try {
                prepared.add(new Prepared.Ready(claim, build(claim, batchTemplates)));
            } catch (RuntimeException e) {
                prepared.add(new Prepared.Failed(claim, e));
            }
        }
        return prepared;
    }

    /**
     * The batch's templates by id: a {@link TaskTemplate}, or the {@link RuntimeException} that
     * says why its stored definition cannot be read. Held per batch, so trimming the shared cache
     * never takes a template from a batch that is being built.
     */
    private Map<UUID, Object> templates(Set<UUID> ids) {
        Map<UUID, Object> found = new HashMap<>();
        List<UUID> missing = new ArrayList<>();
        for (UUID id : ids) {
            TaskTemplate cached = templates.get(id);
            if (cached != null) {
                found.put(id, cached);
            } else {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        List<Map.Entry<UUID, String>> definitions = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, TEMPLATES,
                row -> Map.entry(Jdbc.uuid(row, "id"), row.getString("definition")), Jdbc.uuidArray(missing)));
        if (templates.size() + definitions.size() > MAX_CACHED_TEMPLATES) {
            templates.clear();
        }
        for (Map.Entry<UUID, String> definition : definitions) {
            try {
                TaskTemplate template = TaskTemplate.fromJson(definition.getValue());
                templates.put(definition.getKey(), template);
                found.put(definition.getKey(), template);
            } catch (RuntimeException e) {
                found.put(definition.getKey(), e);
            }
        }
        return found;
    }

    private TaskSequenceStep build(ClaimedStep claim, Map<UUID, Object> batchTemplates) {
        TaskTemplate template = switch (batchTemplates.get(claim.templateId())) {
            case TaskTemplate found -> found;
            case RuntimeException e -> throw new IllegalStateException("the template of task " + claim.taskId()
                    + " cannot be read: " + e.getMessage(), e);
            case null, default -> throw new IllegalStateException("template " + claim.templateId() + " of task "
                    + claim.taskId() + " does not exist");
        };
        JsonNode inputs = claim.inputs() == null ? null : Json.parse(claim.inputs());
        StepTemplate step = template.step(claim.stepName())
                .or(() -> template.step(batchWorkerTemplate(claim.stepName(), inputs)))
                .orElseThrow(() -> new IllegalStateException(
                        "step '" + claim.stepName() + "' is not in template " + template.key()));
        return new TaskSequenceStep(claim.taskId(), claim.stepId(), claim.namespace(), claim.taskName(),
                claim.taskVersion(), Json.parse(claim.context()),
                new TaskSequenceStep.StepDefinition(claim.stepName(), step.handler().callable(),
                        step.handler().initialization(), step.dependsOn(), step.retry(), step.timeoutSeconds(),
                        step.handler().method()),
                ancestorResults(claim.dependencyResults()), claim.attempts(), claim.maxAttempts(), inputs,
                claim.checkpoint() == null ? null : Json.parse(claim.checkpoint()));
    }

    /**
     * The template step a batch worker instance was made from: its name is the template step's,
     * then "_" and its batch id (process_csv_batch_001); "" for any other step.
     */
    private static String batchWorkerTemplate(String stepName, JsonNode inputs) {
        String suffix = inputs == null ? "" : "_" + inputs.path("cursor").path("batch_id").asText("");
        return suffix.length() > 1 && stepName.endsWith(suffix)
                ? stepName.substring(0, stepName.length() - suffix.length()) : "";
    }

    private static Map<String, JsonNode> ancestorResults(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, JsonNode> results = new HashMap<>();
        Json.parse(json).properties().forEach(entry -> results.put(entry.getKey(), entry.getValue()));
        return results;
    }
}
