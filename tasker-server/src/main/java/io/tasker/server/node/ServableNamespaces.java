package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.core.db.Database;
import io.tasker.core.template.RegisteredTemplate;
import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateRegistry;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What a worker that is not told its namespaces serves: every namespace with a registered template
 * (any version) that has a step its handlers run. The registered templates are read once, when
 * the workers start; a worker's namespaces are fixed while it runs.
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
