package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.template.Mapping.Keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a template tree, from a YAML file or from the registry's JSON, into a {@link TaskTemplate}
 * with the defaults filled in. It keeps going after a problem so an author sees every mistake in
 * a file at once, each with its line and step.
 *
 * <p>Templates written for tasker-core load unchanged: its keys are known here too (its spellings
 * of ours, {@code namespace_name} and {@code dependencies}, and keys Tasker accepts without running
 * them, see {@link TaskerCoreKeys}), and its {@code environments:} overrides are applied (see
 * {@link EnvironmentOverrides}). A file that names its namespace {@code namespace_name} is in
 * tasker-core's format, and is read as tasker-core reads it where the two differ.
 */
final class TemplateReader {
    private static final Keys TEMPLATE = new Keys("the template",
            List.of("namespace", "name", "version", "description", "identity_strategy", "input_schema", "steps"),
            List.of("namespace_name", "metadata", "system_dependencies", "domain_events", "environments",
                    "task_handler", "lifecycle", "loaded_from"));
    /** The registry's JSON also says whether the input_schema is enforced, which a file says by its format. */
    private static final Keys STORED_TEMPLATE = new Keys(TEMPLATE.what(),
            concat(TEMPLATE.ours(), "input_schema_enforced"), TEMPLATE.taskerCore());
    private static final Keys STEP = new Keys("step",
            List.of("name", "type", "handler", "depends_on", "retry", "timeout_seconds", "batch_config"),
            List.of("description", "dependencies", "step_type", "system_dependency", "publishes_events",
                    "result_schema", "composition"));
    private static final Keys BATCH_CONFIG = new Keys("batch_config",
            List.of("batch_size", "parallelism", "cursor_field", "worker_template", "failure_strategy",
                    "checkpoint_interval"), List.of());
    private static final Keys HANDLER = new Keys("handler",
            List.of("callable", "initialization", "method"), List.of("resolver"));
    private static final Keys RETRY = new Keys("retry",
            List.of("retryable", "max_attempts", "backoff_base_ms", "max_backoff_ms"), List.of("limit", "backoff"));

    private static final List<String> STEP_TYPES = Arrays.stream(StepType.values()).map(StepType::value)
            .toList();
    /** How tasker-core's guide spells two types, which tasker-core itself refuses: said so, with the right word. */
    private static final Map<String, StepType> GUIDE_SPELLINGS =
            Map.of("deferred", StepType.DEFERRED_CONVERGENCE, "decision_point", StepType.DECISION);
    private static final String EXPONENTIAL = "exponential";
    private static final List<String> BACKOFFS = List.of("none", "linear", EXPONENTIAL, "fibonacci");

    private final Findings findings;
    /** The environment whose overrides apply; null for the registry's JSON, which has them applied. */
    private final String environment;

    private TemplateReader(Findings findings, String environment) {
        this.findings = findings;
        this.environment = environment;
    }

    static TemplateLoadResult readYaml(String yaml, String source, String environment) {
        YamlTree.Parsed parsed = YamlTree.parse(yaml, source);
        if (parsed.root() == null) {
            return new TemplateLoadResult.Rejected(source, parsed.problems());
        }
        return new TemplateReader(new Findings(source, parsed.lines(), parsed.problems()), environment)
                .read(parsed.root());
    }

    /** Reads the form {@link TemplateJson} writes, as the registry stores it. */
    static TemplateLoadResult readStored(JsonNode root, String source) {
        return new TemplateReader(new Findings(source, Map.of(), List.of()), null).read(root);
    }

    /** Describes a value for a message: {@code text "three"}, {@code a list}, {@code number 1.5}. */
    static String describe(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "nothing";
        } else if (value.isTextual()) {
            return "text \"" + value.asText() + "\"";
        } else if (value.isNumber()) {
            return "number " + value.asText();
        } else if (value.isObject()) {
            return "a mapping";
        } else if (value.isArray()) {
            return "a list";
        }
        return value.asText();
    }

    private TemplateLoadResult read(JsonNode root) {
        TaskTemplate template = null;
        try {
            template = template(root);
        } catch (TemplateValidationException e) {
            // A rule the reader missed but a record enforces: still report it rather than fail.
            e.problems().forEach(findings::problem);
        }
        if (template != null && !findings.hasProblems()) {
            return new TemplateLoadResult.Loaded(findings.source(), template, findings.warnings());
        }
        return new TemplateLoadResult.Rejected(findings.source(), findings.problems());
    }

    private TaskTemplate template(JsonNode root) {
        if (!(root instanceof ObjectNode object)) {
            findings.problem("", null, "a template must be a mapping with namespace, name, version and steps, got "
                    + describe(root));
            return null;
        }
        boolean stored = environment == null;
        boolean taskerCoreFormat = object.has("namespace_name");
        Mapping template = new Mapping(findings, object, "", null, "", stored ? STORED_TEMPLATE : TEMPLATE,
                taskerCoreFormat);
        String namespaceKey = template.eitherKey("namespace", "namespace_name",
                "namespace_name is tasker-core's name for namespace");
        String namespace = template.checkedText(namespaceKey, value -> Rules.identifier(namespaceKey, value));
        String name = template.checkedText("name", value -> Rules.identifier("name", value));
        SemVer version = version(template);
        String description = template.text("description");
        IdentityStrategy identity = identityStrategy(template);
        JsonNode inputSchema = template.get("input_schema");
        InputSchemas.check(inputSchema)
                .forEach(issue -> findings.problem("/input_schema" + issue.pointer(), null, issue.message()));
        Boolean inputSchemaEnforced = stored ? template.bool("input_schema_enforced", true)
                : inputSchemaEnforced(template, inputSchema);
        TaskerCoreKeys.template(template);
        List<String> stepNames = new ArrayList<>();
        List<StepTemplate> steps = steps(template, stepNames);
        EnvironmentOverrides overrides = EnvironmentOverrides.read(template, steps == null ? null : stepNames,
                environment);
        if (findings.hasProblems()) {
            return null;
        }
        return new TaskTemplate(namespace, name, version, description, inputSchema, identity, overrides.apply(steps),
                inputSchemaEnforced);
    }

    /**
     * tasker-core never checks a task's context against the input_schema, and its templates' own
     * examples do not always satisfy theirs; so in its format the schema is kept as documentation.
     */
    private static boolean inputSchemaEnforced(Mapping template, JsonNode inputSchema) {
        if (inputSchema == null || !template.taskerCoreFormat) {
            return true;
        }
        template.warn("input_schema", "input_schema", "input_schema is kept as documentation but not enforced, "
                + "as in tasker-core: tasks are created whatever their context; write namespace: instead of "
                + "namespace_name: to have Tasker check every context against it");
        return false;
    }

    private SemVer version(Mapping template) {
        JsonNode value = template.get("version");
        if (value == null) {
            template.check("version", "version is required, e.g. version: 1.0.0");
            return null;
        }
        if (!value.isValueNode()) {
            template.check("version", "version must be MAJOR.MINOR.PATCH, e.g. 1.0.0, got " + describe(value));
            return null;
        }
        try {
            return SemVer.parse(value.asText());
        } catch (IllegalArgumentException e) {
            template.check("version", e.getMessage());
            return null;
        }
    }

    private IdentityStrategy identityStrategy(Mapping template) {
        if (template.get("identity_strategy") == null) {
            return IdentityStrategy.STRICT;
        }
        String value = template.text("identity_strategy");
        if (value == null) {
            return null;
        }
        try {
            return IdentityStrategy.of(value);
        } catch (IllegalArgumentException e) {
            template.check("identity_strategy", e.getMessage());
            return null;
        }
    }

    /** The steps, null where one has a problem; {@code names} gets each step's name as written, or null. */
    private List<StepTemplate> steps(Mapping template, List<String> names) {
        if (template.get("steps") == null) {
            template.check("steps", Rules.hasSteps(0));
            return null;
        }
        ArrayNode list = template.list("steps");
        if (list == null) {
            return null;
        }
        template.check("steps", Rules.hasSteps(list.size()));
        List<StepTemplate> steps = new ArrayList<>();
        List<StepGraph.Node> graph = new ArrayList<>();
        List<String> dependencyKeys = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            steps.add(step(template, list.get(i), i, graph, dependencyKeys));
            names.add(graph.getLast().name());
        }
        List<StepGraph.Issue> issues = StepGraph.check(graph, position -> findings.where("/steps/" + position,
                "step #" + (position + 1)));
        for (StepGraph.Issue issue : issues) {
            String pointer = "/steps/" + issue.position()
                    + (issue.dependency() >= 0 ? "/" + dependencyKeys.get(issue.position()) + "/" + issue.dependency() : "");
            findings.problem(pointer, issue.step(), issue.message());
        }
        if (issues.isEmpty() && !steps.contains(null)) {
            decisionWarnings(steps);
        }
        return steps;
    }

    /**
     * Shapes that run, but likely not as meant: a deferred convergence step no decision comes
     * before (every step it depends on is always created, so it is a standard step), a step that
     * is not one but depends on a batch worker (tasker-core wants one there), and a step
     * that is not one but depends on two branches of the same decision (it is created only when
     * the decision chooses both).
     */
    private void decisionWarnings(List<StepTemplate> steps) {
        Map<String, StepTemplate> byName = new HashMap<>();
        steps.forEach(step -> byName.put(step.name(), step));
        for (int i = 0; i < steps.size(); i++) {
            StepTemplate step = steps.get(i);
            if (step.type() == StepType.DEFERRED_CONVERGENCE) {
                if (!TaskTemplate.createdLater(steps, step.name())) {
                    findings.warn("convergence_without_decision", "/steps/" + i + "/type", step.name(),
                            "deferred_convergence step '" + step.name() + "' waits for no decision or batch: every "
                                    + "step it depends on is always created, so it runs as a standard step");
                }
                continue;
            }
            Map<String, List<String>> branchesByDecision = new LinkedHashMap<>();
            for (String dependency : step.dependsOn()) {
                StepTemplate parent = byName.get(dependency);
                if (parent.type() == StepType.BATCH_WORKER) {
                    findings.warn("after_batch_worker", "/steps/" + i + "/name", step.name(), "step '"
                            + step.name() + "' depends on batch_worker step '" + dependency + "': it waits for "
                            + "all of its instances, as tasker-core requires a deferred_convergence step to; "
                            + "make it type: deferred_convergence to say so");
                }
                if (parent.type() == StepType.DEFERRED_CONVERGENCE) {
                    continue;
                }
                for (String grandparent : parent.dependsOn()) {
                    if (byName.get(grandparent).type() == StepType.DECISION) {
                        branchesByDecision.computeIfAbsent(grandparent, d -> new ArrayList<>()).add(dependency);
                    }
                }
            }
            for (Map.Entry<String, List<String>> entry : branchesByDecision.entrySet()) {
                if (entry.getValue().size() > 1) {
                    findings.warn("join_of_branches", "/steps/" + i + "/name", step.name(), "step '"
                            + step.name() + "' depends on " + String.join(" and ", entry.getValue().stream()
                            .map(b -> "'" + b + "'").toList()) + ", branches of decision '" + entry.getKey()
                            + "': it is created only when the decision chooses all of them; make it "
                            + "type: deferred_convergence to wait for whichever were chosen");
                }
            }
        }
    }

    private StepTemplate step(Mapping template, JsonNode node, int index, List<StepGraph.Node> graph,
                              List<String> dependencyKeys) {
        String pointer = "/steps/" + index;
        if (!(node instanceof ObjectNode object)) {
            findings.problem(pointer, null, "step #" + (index + 1) + " must be a mapping with name and handler, got "
                    + describe(node));
            graph.add(new StepGraph.Node(null, List.of()));
            dependencyKeys.add("depends_on");
            return null;
        }
        int before = findings.problemCount();
        JsonNode nameNode = object.get("name");
        String rawName = nameNode != null && nameNode.isTextual() && !nameNode.asText().isBlank() ? nameNode.asText() : null;
        Mapping step = template.entry(object, pointer, rawName != null ? rawName : "#" + (index + 1), "", STEP);
        String name = step.checkedText("name", Rules::stepName);
        StepType type = stepType(step);
        HandlerSpec handler = handler(step);
        String dependencyKey = step.eitherKey("depends_on", "dependencies",
                "dependencies is tasker-core's name for depends_on");
        List<String> dependsOn = dependsOn(step, dependencyKey);
        graph.add(new StepGraph.Node(rawName, dependsOn == null ? List.of() : dependsOn, type));
        dependencyKeys.add(dependencyKey);
        RetryPolicy retry = retry(step);
        Integer timeout = step.get("timeout_seconds") == null
                ? Integer.valueOf(StepTemplate.DEFAULT_TIMEOUT_SECONDS) : timeoutSeconds(step);
        BatchConfig batchConfig = batchConfig(step, type);
        TaskerCoreKeys.step(step);
        if (findings.problemCount() > before) {
            return null;
        }
        return new StepTemplate(name, handler, dependsOn, retry, timeout, type, batchConfig);
    }

    /**
     * A batchable or batch worker step's {@code batch_config}, every key not given at its default;
     * null when absent or when it has a problem.
     */
    private static BatchConfig batchConfig(Mapping step, StepType type) {
        if (step.get("batch_config") == null) {
            return null;
        }
        if (type != null && type != StepType.BATCHABLE && type != StepType.BATCH_WORKER) {
            step.warn("batch_config", "batch_config", "batch_config has no effect on a " + type.value() + " step: "
                    + "it configures a batch_worker step's instances, on that step or on its batchable step");
            return null;
        }
        Mapping config = step.mapping("batch_config", BATCH_CONFIG);
        if (config == null) {
            return null;
        }
        int before = config.problemCount();
        Long batchSize = config.integer("batch_size", 1, true);
        Long parallelism = config.integer("parallelism", 1, true);
        Long checkpointInterval = config.integer("checkpoint_interval", BatchConfig.DEFAULT_CHECKPOINT_INTERVAL, true);
        String cursorField = config.text("cursor_field");
        String workerTemplate = config.text("worker_template");
        String failureStrategy = config.text("failure_strategy");
        if (batchSize != null) {
            config.check("batch_size", Rules.positive("batch_config.batch_size", batchSize));
        }
        if (parallelism != null) {
            config.check("parallelism", Rules.positive("batch_config.parallelism", parallelism));
        }
        if (checkpointInterval != null) {
            config.check("checkpoint_interval", Rules.positive("batch_config.checkpoint_interval",
                    checkpointInterval));
        }
        if (failureStrategy != null) {
            config.check("failure_strategy", Rules.failureStrategy(failureStrategy));
        }
        if (config.problemCount() > before) {
            return null;
        }
        return new BatchConfig(config.get("batch_size") == null ? null : batchSize.intValue(),
                config.get("parallelism") == null ? null : parallelism.intValue(), cursorField, workerTemplate,
                failureStrategy, checkpointInterval.intValue());
    }

    /** The step's type, standard when not given; null when it is not a step type. */
    private static StepType stepType(Mapping step) {
        String key = step.eitherKey("type", "step_type", "step_type is tasker-core's other name for type");
        if (step.get(key) == null) {
            return StepType.STANDARD;
        }
        String value = step.text(key);
        StepType type = StepType.of(value);
        if (value == null || type != null) {
            return type;
        }
        StepType meant = GUIDE_SPELLINGS.get(value);
        step.problem(key, meant != null
                ? key + " '" + value + "' is how tasker-core's guide writes it, but tasker-core reads only '"
                        + meant.value() + "': write " + key + ": " + meant.value()
                : key + " '" + value + "' is not a step type; expected one of " + String.join(", ", STEP_TYPES));
        return null;
    }

    private HandlerSpec handler(Mapping step) {
        if (step.get("handler") == null) {
            step.check("handler", "handler is required: give handler.callable, the class that runs this step");
            return null;
        }
        Mapping handler = step.mapping("handler", HANDLER);
        if (handler == null) {
            return null;
        }
        int before = findings.problemCount();
        String callable = handler.checkedText("callable", Rules::callable);
        ObjectNode initialization = initialization(handler);
        String method = handler.checkedText("method", Rules::method);
        if (handler.text("resolver") != null) {
            handler.warn("handler.resolver", "resolver", "handler.resolver has no effect: Tasker finds a step's "
                    + "handler by its callable alone");
        }
        return findings.problemCount() > before ? null : new HandlerSpec(callable, initialization, method);
    }

    /** A handler's {@code initialization}, any mapping; null when absent or not a mapping. */
    static ObjectNode initialization(Mapping handler) {
        if (handler.get("initialization") == null) {
            return null;
        }
        Mapping initialization = handler.mapping("initialization", null);
        return initialization == null ? null : initialization.node;
    }

    private List<String> dependsOn(Mapping step, String key) {
        if (step.get(key) == null) {
            return List.of();
        }
        ArrayNode list = step.list(key);
        if (list == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (entry.isTextual()) {
                names.add(entry.asText());
            } else {
                step.problemInList(key, i, key + " entries must be step names, got " + describe(entry));
                names.add(null);
            }
        }
        return names;
    }

    /** A step's timeout_seconds, which is set; null when it is not a valid one. */
    static Integer timeoutSeconds(Mapping owner) {
        Long timeout = owner.integer("timeout_seconds", StepTemplate.DEFAULT_TIMEOUT_SECONDS, true);
        if (timeout == null) {
            return null;
        }
        String problem = Rules.timeoutSeconds(timeout);
        owner.check("timeout_seconds", problem);
        return problem == null ? timeout.intValue() : null;
    }

    /**
     * The retry policy under {@code owner}'s {@code retry}, every field not given at its default;
     * null when it has a problem. In tasker-core's format {@code max_attempts: 0} is one attempt,
     * as there; its {@code limit} is accepted, and ignored as tasker-core ignores it.
     */
    static RetryPolicy retry(Mapping owner) {
        if (owner.get("retry") == null) {
            return RetryPolicy.DEFAULT;
        }
        Mapping retry = owner.mapping("retry", RETRY);
        if (retry == null) {
            return null;
        }
        int before = retry.problemCount();
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        Boolean retryable = retry.bool("retryable", defaults.retryable());
        Long maxAttempts = retry.integer("max_attempts", defaults.maxAttempts(), true);
        Long backoffBase = retry.integer("backoff_base_ms", defaults.backoffBaseMs(), false);
        Long maxBackoff = retry.integer("max_backoff_ms", defaults.maxBackoffMs(), false);
        if (maxAttempts != null && maxAttempts == 0 && retry.taskerCoreFormat) {
            maxAttempts = 1L;
        }
        if (maxAttempts != null) {
            retry.check("max_attempts", Rules.maxAttempts(maxAttempts));
        }
        if (backoffBase != null) {
            retry.check("backoff_base_ms", Rules.notNegative("retry.backoff_base_ms", backoffBase));
        }
        if (maxBackoff != null) {
            retry.check("max_backoff_ms", Rules.notNegative("retry.max_backoff_ms", maxBackoff));
        }
        if (backoffBase != null && maxBackoff != null && backoffBase >= 0 && maxBackoff >= 0) {
            retry.check("max_backoff_ms", Rules.backoffOrder(backoffBase, maxBackoff));
        }
        if (retry.get("limit") != null) {
            retry.warn("retry.limit", "limit", "retry.limit has no effect (tasker-core never read it either): use "
                    + "retry.max_attempts, the attempts in all, default " + defaults.maxAttempts());
        }
        backoff(retry);
        if (retry.problemCount() > before) {
            return null;
        }
        return new RetryPolicy(retryable, maxAttempts.intValue(), backoffBase, maxBackoff);
    }

    private static void backoff(Mapping retry) {
        String backoff = retry.text("backoff");
        if (backoff == null) {
            return;
        }
        if (!BACKOFFS.contains(backoff)) {
            retry.problem("backoff", "retry.backoff '" + backoff + "' is not one of " + String.join(", ", BACKOFFS));
        } else if (!backoff.equals(EXPONENTIAL)) {
            retry.warn("retry.backoff", "backoff", "retry.backoff '" + backoff + "' is not supported: Tasker's "
                    + "backoff is exponential, from backoff_base_ms doubling after each failed attempt up to "
                    + "max_backoff_ms, with jitter");
        }
    }

    private static List<String> concat(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }
}
