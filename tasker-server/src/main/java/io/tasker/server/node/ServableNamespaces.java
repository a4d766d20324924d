package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.core.db.Database;
import io.tasker.core.template.RegisteredTemplate;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateRegistry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a worker that is not told its namespaces serves: every namespace with a registered template
 * (any version) that has a step its handlers run; and which steps of the served namespaces no
 * handler runs. The registered templates are read once, when the workers start; a worker's
 * namespaces are fixed while it runs.
 */
record ServableNamespaces(List<TaskTemplate> templates) {

    static ServableNamespaces of(Database database) {
        return new ServableNamespaces(new TemplateRegistry(database.dataSource()).list().stream()
                .map(RegisteredTemplate::template)
                .toList());
    }

    /** The namespaces, sorted, with a template that has a step whose callable is among {@code callables}. */
    List<String> runBy(Collection<String> callables) {
        Set<String> known = Set.copyOf(callables);
        return templates.stream()
                .filter(template -> template.steps().stream().map(StepTemplate::handler)
                        .anyMatch(handler -> known.contains(handler.callable())))
                .map(TaskTemplate::namespace)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * The steps whose callable is not among {@code callables}, of {@code registered} (the templates
     * this process was given, whatever their namespace: a template whose every step has a typo
     * leaves its namespace unserved) and of the newest version of each template in
     * {@code namespaces}; each template once, in that order. Older versions are left out: new
     * tasks use the newest unless told otherwise, and an old version's callables may be gone on
     * purpose.
     */
    List<UnservedStep> unserved(Collection<String> namespaces, Collection<TaskTemplate> registered,
                                Collection<String> callables) {
        Set<String> served = Set.copyOf(namespaces);
        Set<String> known = Set.copyOf(callables);
        Map<String, TaskTemplate> checked = new LinkedHashMap<>();
        registered.forEach(template -> checked.put(template.key(), template));
        Map<String, TaskTemplate> newest = new LinkedHashMap<>();
        // Listed by namespace, name and ascending version: the last of each name is its newest.
        templates.stream().filter(template -> served.contains(template.namespace()))
                .forEach(template -> newest.put(template.namespace() + "/" + template.name(), template));
        newest.values().forEach(template -> checked.putIfAbsent(template.key(), template));
        return checked.values().stream()
                .flatMap(template -> template.steps().stream()
                        .filter(step -> !known.contains(step.handler().callable()))
                        .map(step -> new UnservedStep(template, step)))
                .toList();
    }

    /** Why no worker starts when none has a namespace to serve, and what to do about it. */
    TaskerException nothingToServe() {
        if (templates.isEmpty()) {
            return new TaskerException("no namespace for the worker to serve: the database has no templates yet; "
                    + "start 'tasker server' (or 'tasker dev') first to register them, or pass --namespace");
        }
        List<String> namespaces = templates.stream().map(TaskTemplate::namespace).distinct().sorted().toList();
        return new TaskerException("no namespace for the worker to serve: no registered template has a step "
                + "that the handlers here run (namespaces with templates: " + String.join(", ", namespaces)
                + "); give the worker the handlers (--handlers JAR for Java ones, --ruby-handlers DIR for Ruby ones), "
                + "or pass --namespace");
    }
}
