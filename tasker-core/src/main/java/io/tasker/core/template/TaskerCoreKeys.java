package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tasker.core.template.Mapping.Keys;

import java.util.List;

/**
 * The keys of tasker-core's templates that Tasker accepts without running them. Each is checked
 * for the kind of value tasker-core takes; one that means something Tasker does not do is warned
 * about (once per file), and one that only describes, or is empty, is taken silently.
 */
final class TaskerCoreKeys {
    private static final Keys SYSTEM_DEPENDENCIES = new Keys("system_dependencies",
            List.of("primary", "secondary"), List.of());
    private static final Keys TASK_HANDLER = new Keys("task_handler",
            List.of("callable", "initialization"), List.of());
    /** tasker-core's default system, which every step uses unless told otherwise: saying it says nothing. */
    private static final String DEFAULT_SYSTEM = "default";

    private TaskerCoreKeys() {}

    static void template(Mapping template) {
        template.text("loaded_from");
        template.typed("metadata", "a mapping", JsonNode::isObject);
        systemDependencies(template);
        if (nonEmptyList(template, "domain_events")) {
            template.warn("domain_events", "domain_events", "domain_events has no effect: Tasker publishes no "
                    + "domain events");
        }
        if (template.get("task_handler") != null) {
            taskHandler(template);
        }
        if (template.typed("lifecycle", "a mapping", JsonNode::isObject) != null) {
            template.warn("lifecycle", "lifecycle", "lifecycle has no effect: Tasker has no per-template timeouts "
                    + "or staleness actions; its stale-task sweeper treats every task alike");
        }
    }

    static void step(Mapping step) {
        step.text("description");
        step.text("system_dependency");
        if (nonEmptyList(step, "publishes_events")) {
            step.warn("publishes_events", "publishes_events", "publishes_events has no effect: Tasker publishes no "
                    + "domain events");
        }
        if (step.get("result_schema") != null) {
            step.warn("result_schema", "result_schema", "result_schema is not checked: Tasker does not validate "
                    + "step results (nor did tasker-core: it is documentation)");
        }
        if (step.get("composition") != null) {
            step.warn("composition", "composition", "composition is not supported: the step runs its "
                    + "handler.callable");
        }
    }

    /**
     * The old generation's task-level handler. tasker-core only listed it among a template's
     * callables; nothing ran it.
     */
    static void taskHandler(Mapping owner) {
        Mapping handler = owner.mapping("task_handler", TASK_HANDLER);
        if (handler == null) {
            return;
        }
        handler.text("callable");
        TemplateReader.initialization(handler);
        owner.warn("task_handler", "task_handler", "task_handler has no effect: Tasker runs the steps' handlers "
                + "only");
    }

    private static void systemDependencies(Mapping template) {
        if (template.get("system_dependencies") == null) {
            return;
        }
        Mapping dependencies = template.mapping("system_dependencies", SYSTEM_DEPENDENCIES);
        if (dependencies == null) {
            return;
        }
        String primary = dependencies.text("primary");
        boolean secondary = nonEmptyList(dependencies, "secondary");
        if ((primary != null && !primary.equals(DEFAULT_SYSTEM)) || secondary) {
            template.warn("system_dependencies", "system_dependencies", "system_dependencies has no effect: "
                    + "Tasker does not track the external systems a task uses");
        }
    }

    /** Whether {@code key} holds a list with entries; reports a value that is not a list. */
    private static boolean nonEmptyList(Mapping mapping, String key) {
        ArrayNode list = mapping.list(key);
        return list != null && !list.isEmpty();
    }
}
