package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.template.Mapping.Keys;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A template's {@code environments:}, tasker-core's per-environment changes to its steps:
 *
 * <pre>
 * environments:
 *   test:
 *     steps:
 *       - name: validate_order      # or ALL, for every step
 *         handler: {initialization: {timeout_ms: 10}}
 *         timeout_seconds: 20
 *         retry: {max_attempts: 2}
 * </pre>
 *
 * Every environment is checked, whichever runs, so a mistake in {@code production} shows in
 * development. The selected one is applied as tasker-core's {@code resolve_for_environment} does:
 * in order of the list, the initialization's keys are merged over the step's, key by key at the
 * top level; a timeout replaces the step's; a retry replaces the step's whole retry policy, so a
 * field it does not give takes its default, not the step's value.
 */
final class EnvironmentOverrides {
    /** tasker-core's name for "every step" in an override. */
    static final String ALL_STEPS = "ALL";

    private static final Keys STEP_OVERRIDE = new Keys("step override",
            List.of("name", "handler", "timeout_seconds", "retry"), List.of());
    private static final Keys HANDLER_OVERRIDE = new Keys("handler override", List.of("initialization"), List.of());

    private record StepOverride(String step, ObjectNode initialization, Integer timeoutSeconds, RetryPolicy retry) {
        boolean appliesTo(StepTemplate template) {
            return step.equals(ALL_STEPS) || step.equals(template.name());
        }

        StepTemplate applyTo(StepTemplate template) {
            HandlerSpec handler = template.handler();
            ObjectNode merged = handler.initialization();
            if (initialization != null) {
                merged.setAll(initialization);
            }
            return template.with(new HandlerSpec(handler.callable(), merged, handler.method()),
                    retry != null ? retry : template.retry(),
                    timeoutSeconds != null ? timeoutSeconds : template.timeoutSeconds());
        }
    }

    private static final EnvironmentOverrides NONE = new EnvironmentOverrides(List.of());

    private final List<StepOverride> selected;

    private EnvironmentOverrides(List<StepOverride> selected) {
        this.selected = List.copyOf(selected);
    }

    /**
     * Checks every environment under {@code template} and keeps the overrides of {@code environment}
     * (none when null).
     *
     * @param stepNames the template's steps, to check what an override names; null when the template
     *                  has no readable steps, and then only the rest is checked
     */
    static EnvironmentOverrides read(Mapping template, List<String> stepNames, String environment) {
        if (template.get("environments") == null) {
            return NONE;
        }
        Mapping environments = template.mapping("environments", null);
        if (environments == null) {
            return NONE;
        }
        List<StepOverride> selected = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = environments.node.fields(); entries.hasNext(); ) {
            String name = entries.next().getKey();
            if (environments.get(name) == null) {
                continue;
            }
            Mapping overrides = environments.mapping(name,
                    new Keys("environment '" + name + "'", List.of("steps", "task_handler"), List.of()));
            if (overrides == null) {
                continue;
            }
            if (overrides.get("task_handler") != null) {
                TaskerCoreKeys.taskHandler(overrides);
            }
            List<StepOverride> steps = steps(overrides, stepNames);
            if (name.equals(environment)) {
                selected.addAll(steps);
            }
        }
        return new EnvironmentOverrides(selected);
    }

    /** {@code steps} with the selected environment's overrides applied. */
    List<StepTemplate> apply(List<StepTemplate> steps) {
        List<StepTemplate> applied = new ArrayList<>(steps);
        for (StepOverride override : selected) {
            applied.replaceAll(step -> override.appliesTo(step) ? override.applyTo(step) : step);
        }
        return applied;
    }

    private static List<StepOverride> steps(Mapping environment, List<String> stepNames) {
        List<StepOverride> overrides = new ArrayList<>();
        ArrayNode list = environment.list("steps");
        if (list == null) {
            return overrides;
        }
        for (int i = 0; i < list.size(); i++) {
            String pointer = environment.pointerOf("steps") + "/" + i;
            if (!(list.get(i) instanceof ObjectNode object)) {
                environment.problemInList("steps", i, "a step override must be a mapping with the name of the "
                        + "step it changes, got " + TemplateReader.describe(list.get(i)));
                continue;
            }
            JsonNode nameNode = object.get("name");
            String label = nameNode != null && nameNode.isTextual() ? nameNode.asText() : "#" + (i + 1);
            Mapping override = environment.entry(object, pointer, label, "", STEP_OVERRIDE);
            StepOverride read = step(override, stepNames);
            if (read != null) {
                overrides.add(read);
            }
        }
        return overrides;
    }

    private static StepOverride step(Mapping override, List<String> stepNames) {
        int before = override.problemCount();
        String name = override.checkedText("name", value -> value == null
                ? "a step override needs the name of the step it changes, or " + ALL_STEPS : null);
        if (name != null && stepNames != null && !name.equals(ALL_STEPS) && !stepNames.contains(name)) {
            override.problem("name", "no step '" + name + "' to override"
                    + Suggestions.didYouMean(name, stepNames.stream().filter(Objects::nonNull).toList()));
        }
        ObjectNode initialization = null;
        if (override.get("handler") != null) {
            Mapping handler = override.mapping("handler", HANDLER_OVERRIDE);
            initialization = handler == null ? null : TemplateReader.initialization(handler);
        }
        Integer timeout = override.get("timeout_seconds") == null ? null : TemplateReader.timeoutSeconds(override);
        RetryPolicy retry = override.get("retry") == null ? null : TemplateReader.retry(override);
        if (override.problemCount() > before) {
            return null;
        }
        return new StepOverride(name, initialization, timeout, retry);
    }
}
