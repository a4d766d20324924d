package io.tasker.orchestration.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.Ids;
import io.tasker.core.internal.Json;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.orchestration.ContextError;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A registered template prepared once for creating many tasks: its input schema compiled, and its
 * steps laid out as the JSON the creation function takes, with each step's parents, children and
 * ancestors as positions in template order (1-based). Creating a task then costs one call however
 * many steps it has. Immutable, and shared by every thread creating tasks.
 */
public final class TaskBlueprint {
    private final TaskTemplate template;
    private final InputSchema inputSchema;
    /** The steps as {@code tasker_create_task} takes them; the same text for every task. */
    private final String layout;
    private final List<String> rootCallables;
    private final int roots;

    private TaskBlueprint(TaskTemplate template) {
        List<StepTemplate> steps = template.steps();
        this.template = template;
        this.inputSchema = InputSchema.compile(template.enforcedInputSchema());
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            position.put(steps.get(i).name(), i + 1);
        }
        List<SortedSet<Integer>> children = new ArrayList<>();
        steps.forEach(step -> children.add(new TreeSet<>()));
        for (StepTemplate step : steps) {
            for (String parent : step.dependsOn()) {
                children.get(position.get(parent) - 1).add(position.get(step.name()));
            }
        }
        ArrayNode layout = Json.MAPPER.createArrayNode();
        for (int i = 0; i < steps.size(); i++) {
            StepTemplate step = steps.get(i);
            ObjectNode row = layout.addObject()
                    .put("position", i + 1)
                    .put("name", step.name())
                    .put("callable", step.handler().callable())
                    .put("max_attempts", step.retry().maxAttempts())
                    .put("retryable", step.retry().retryable())
                    .put("backoff_base_ms", step.retry().backoffBaseMs())
                    .put("max_backoff_ms", step.retry().maxBackoffMs())
                    .put("timeout_seconds", step.timeoutSeconds());
            row.set("inputs", step.handler().initialization());
            ArrayNode parents = row.putArray("parents");
            step.dependsOn().stream().map(position::get).sorted().forEach(parents::add);
            ArrayNode childPositions = row.putArray("children");
            children.get(i).forEach(childPositions::add);
            ArrayNode ancestors = row.putArray("ancestors");
            ancestors(step.name(), template, position).forEach(ancestors::add);
        }
        this.layout = Json.write(layout);
        this.rootCallables = steps.stream().filter(step -> step.dependsOn().isEmpty())
                .map(step -> step.handler().callable()).distinct().toList();
        this.roots = (int) steps.stream().filter(step -> step.dependsOn().isEmpty()).count();
    }

    public static TaskBlueprint of(TaskTemplate template) {
        return new TaskBlueprint(template);
    }

    public TaskTemplate template() {
        return template;
    }

    /** Every reason {@code context} does not fit the template's input_schema, where enforced; empty when it does. */
    public List<ContextError> check(JsonNode context) {
        return inputSchema.check(context);
    }

    /** The steps as the creation function takes them. */
    public String layout() {
        return layout;
    }

    /** How many steps a new task starts with (those that depend on none). */
    public int roots() {
        return roots;
    }

    /** The handlers of the steps a new task starts with. */
    public List<String> rootCallables() {
        return rootCallables;
    }

    /**
     * New ids for a task's steps, in template order. Ids of one millisecond are random among
     * themselves; sorted, they follow template order, and so do the queue's tie-breaks between
     * steps enqueued together. (Java's signed UUID order agrees with PostgreSQL's for version 7
     * ids: the high bit is 0 in every msb and 1 in every lsb.)
     */
    public UUID[] newStepIds() {
        UUID[] ids = new UUID[template.steps().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Ids.newId();
        }
        Arrays.sort(ids);
        return ids;
    }

    /** Every step {@code name} depends on, directly or not, as sorted positions. */
    private static SortedSet<Integer> ancestors(String name, TaskTemplate template, Map<String, Integer> position) {
        SortedSet<Integer> found = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(template.step(name).orElseThrow().dependsOn());
        while (!pending.isEmpty()) {
            String parent = pending.pop();
            if (found.add(position.get(parent))) {
                pending.addAll(template.step(parent).orElseThrow().dependsOn());
            }
        }
        return found;
    }
}
