package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A named, versioned DAG of steps in a namespace: what a task is a run of. Built by
 * {@link TemplateLoader} from YAML or directly in code; either way the constructor refuses a
 * template that breaks a rule (unsafe names, missing handlers, unknown or cyclic dependencies, an
 * invalid input schema), so every instance is runnable.
 *
 * @param inputSchema         JSON Schema the task context must satisfy, or null for any context
 * @param inputSchemaEnforced false when the input_schema only documents the context and tasks are
 *                            not checked against it, as for a template in tasker-core's format
 */
public record TaskTemplate(String namespace, String name, SemVer version, String description, JsonNode inputSchema,
                           IdentityStrategy identityStrategy, List<StepTemplate> steps, boolean inputSchemaEnforced) {

    public TaskTemplate {
        identityStrategy = identityStrategy == null ? IdentityStrategy.STRICT : identityStrategy;
        inputSchema = inputSchema == null || inputSchema.isNull() ? null : inputSchema.deepCopy();
        steps = steps == null ? List.of() : List.copyOf(steps);
        Rules.require(
                Rules.identifier("namespace", namespace),
                Rules.identifier("name", name),
                version == null ? "version is required" : null,
                Rules.hasSteps(steps.size()));
        List<TemplateProblem> problems = new ArrayList<>();
        List<StepGraph.Node> graph = steps.stream().map(s -> new StepGraph.Node(s.name(), s.dependsOn(), s.type()))
                .toList();
        StepGraph.check(graph, position -> "step #" + (position + 1))
                .forEach(issue -> problems.add(new TemplateProblem(null, null, issue.step(), issue.message())));
        InputSchemas.check(inputSchema)
                .forEach(issue -> problems.add(new TemplateProblem(null, null, null, issue.message())));
        if (!problems.isEmpty()) {
            throw new TemplateValidationException(problems);
        }
    }

    /** A template whose input_schema, if any, is enforced. */
    public TaskTemplate(String namespace, String name, SemVer version, String description, JsonNode inputSchema,
                        IdentityStrategy identityStrategy, List<StepTemplate> steps) {
        this(namespace, name, version, description, inputSchema, identityStrategy, steps, true);
    }

    /** Reads the form {@link #toJson()} writes, as the registry stores it. */
    public static TaskTemplate fromJson(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new TemplateValidationException(List.of(new TemplateProblem(null, null, null, e.getMessage())));
        }
        return TemplateReader.readStored(root, null).orThrow();
    }

    @Override
    public JsonNode inputSchema() {
        return inputSchema == null ? null : inputSchema.deepCopy();
    }

    /** The schema a task's context is checked against: the input_schema when enforced, else null. */
    public JsonNode enforcedInputSchema() {
        return inputSchemaEnforced ? inputSchema() : null;
    }

    /** {@code namespace/name@version}, the way people and messages name a template. */
    public String key() {
        return namespace + "/" + name + "@" + version;
    }

    public Optional<StepTemplate> step(String stepName) {
        return steps.stream().filter(step -> step.name().equals(stepName)).findFirst();
    }

    /** Whether any step is a decision, so that some steps are created only when one decides. */
    public boolean hasDecisions() {
        return steps.stream().anyMatch(step -> step.type() == StepType.DECISION);
    }

    /** Whether any step is batchable, so that batch worker instances are created when one completes. */
    public boolean hasBatches() {
        return steps.stream().anyMatch(step -> step.type() == StepType.BATCHABLE);
    }

    /**
     * Whether {@code stepName} is created while the task runs rather than with it: it is a batch
     * worker, or a decision or a batch worker comes before it (see docs/dynamic-workflows.md).
     */
    public boolean createdLater(String stepName) {
        return createdLater(steps, stepName);
    }

    static boolean createdLater(List<StepTemplate> steps, String stepName) {
        return step(steps, stepName).type() == StepType.BATCH_WORKER
                || ancestors(steps, stepName).stream().anyMatch(step -> step.type() == StepType.DECISION
                        || step.type() == StepType.BATCH_WORKER);
    }

    private static StepTemplate step(List<StepTemplate> steps, String stepName) {
        return steps.stream().filter(step -> step.name().equals(stepName)).findFirst().orElseThrow();
    }

    /** Every step {@code stepName} depends on, directly or not, in template order. */
    public List<StepTemplate> ancestors(String stepName) {
        return ancestors(steps, stepName);
    }

    /**
     * Whether {@code stepName} waits for a decision, directly or not, and so is created only when
     * the decisions before it choose so (see docs/dynamic-workflows.md).
     */
    public boolean behindDecision(String stepName) {
        return behindDecision(steps, stepName);
    }

    static boolean behindDecision(List<StepTemplate> steps, String stepName) {
        return ancestors(steps, stepName).stream().anyMatch(step -> step.type() == StepType.DECISION);
    }

    private static List<StepTemplate> ancestors(List<StepTemplate> steps, String stepName) {
        Map<String, StepTemplate> byName = new HashMap<>();
        steps.forEach(step -> byName.putIfAbsent(step.name(), step));
        Set<String> found = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(byName.get(stepName).dependsOn());
        while (!pending.isEmpty()) {
            String parent = pending.pop();
            if (found.add(parent)) {
                pending.addAll(byName.get(parent).dependsOn());
            }
        }
        return steps.stream().filter(step -> found.contains(step.name())).toList();
    }

    /**
     * SHA-256 (hex) of the canonical JSON form: the same for the same content however the file
     * orders its keys or formats its values. The registry uses it to tell a re-registration of the
     * same template from a changed one.
     */
    public String contentHash() {
        return TemplateJson.contentHash(this);
    }

    /** The template as JSON with every default written out, in the same keys as the YAML file. */
    public String toJson() {
        return Json.write(TemplateJson.tree(this));
    }
}
