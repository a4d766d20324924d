package io.tasker.orchestration.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.Ids;
import io.tasker.core.internal.Json;
import io.tasker.core.template.BatchConfig;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.StepType;
import io.tasker.core.template.TaskTemplate;
import io.tasker.orchestration.ContextError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A registered template prepared once for creating many tasks: its input schema compiled, and its
 * steps laid out as the JSON the creation function takes, with each step's parents, children and
 * ancestors as positions in template order (1-based). Creating a task then costs one call however
 * many steps it has. Immutable, and shared by every thread creating tasks.
 *
 * <p>A template with decisions is laid out in dependency order (a step after all it depends on), each
 * step with its type, whether it is created only when decisions choose so ({@code later}: it has a
 * decision among its ancestors) and whether some of its children are ({@code later_children}); the
 * task keeps that layout as its plan, to grow from (see the V6 migration). A template with batchable
 * steps keeps a plan too: its batch worker steps, and every step after one, are {@code later}, and a
 * batch worker's entry carries the {@code batch_metadata} its instances get (see the V7 migration).
 */
public final class TaskBlueprint {
    private final TaskTemplate template;
    private final InputSchema inputSchema;
    /** The steps as {@code tasker_create_task} takes them; the same text for every task. */
    private final String layout;
    private final List<String> rootCallables;
    private final int roots;
    private final boolean plan;

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
        this.plan = template.hasDecisions() || template.hasBatches();
        boolean[] later = new boolean[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            later[i] = plan && template.createdLater(steps.get(i).name());
        }
        ArrayNode layout = Json.MAPPER.createArrayNode();
        for (int i : plan ? dependencyOrder(steps, position) : inTemplateOrder(steps.size())) {
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
            template.ancestors(step.name()).forEach(ancestor -> ancestors.add(position.get(ancestor.name())));
            if (step.type() != StepType.STANDARD) {
                row.put("type", step.type().value());
            }
            if (step.type() == StepType.BATCH_WORKER) {
                row.set("batch_metadata", batchMetadata(template, step));
            }
            if (later[i]) {
                row.put("later", true);
            }
            if (children.get(i).stream().anyMatch(child -> later[child - 1])) {
                row.put("later_children", true);
            }
        }
        this.layout = Json.write(layout);
        // A step created later always depends on a decision: the roots are all created with the task.
        this.rootCallables = steps.stream().filter(step -> step.dependsOn().isEmpty())
                .map(step -> step.handler().callable()).distinct().toList();
        this.roots = (int) steps.stream().filter(step -> step.dependsOn().isEmpty()).count();
    }

    /**
     * What every instance of a batch worker gets in its inputs' batch_metadata (tasker-core's
     * BatchMetadata): from the worker's batch_config, else its batchable step's, else the defaults.
     */
    private static ObjectNode batchMetadata(TaskTemplate template, StepTemplate worker) {
        BatchConfig config = worker.batchConfig();
        for (String parent : worker.dependsOn()) {
            StepTemplate batchable = template.step(parent).orElseThrow();
            if (config == null && batchable.type() == StepType.BATCHABLE) {
                config = batchable.batchConfig();
            }
        }
        config = config == null ? BatchConfig.DEFAULT : config;
        ObjectNode metadata = Json.MAPPER.createObjectNode().put("checkpoint_interval", config.checkpointInterval());
        if (config.cursorField() != null) {
            metadata.put("cursor_field", config.cursorField());
        }
        return metadata.put("failure_strategy", config.failureStrategy());
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

    /** Whether a task keeps the layout as its plan: its template has decisions. */
    public boolean plan() {
        return plan;
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

    private static List<Integer> inTemplateOrder(int size) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        return order;
    }

    /** Step indexes with each after every step it depends on, ties in template order. */
    private static List<Integer> dependencyOrder(List<StepTemplate> steps, Map<String, Integer> position) {
        int[] waiting = new int[steps.size()];
        List<List<Integer>> dependents = new ArrayList<>();
        steps.forEach(step -> dependents.add(new ArrayList<>()));
        for (int i = 0; i < steps.size(); i++) {
            for (String parent : steps.get(i).dependsOn()) {
                dependents.get(position.get(parent) - 1).add(i);
                waiting[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < steps.size(); i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(steps.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(next);
            for (int dependent : dependents.get(next)) {
                if (--waiting[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        return order;
    }
}
