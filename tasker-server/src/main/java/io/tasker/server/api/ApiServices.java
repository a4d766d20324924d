package io.tasker.server.api;

import io.tasker.core.template.TemplateRegistry;
import io.tasker.orchestration.DeadLetters;
import io.tasker.orchestration.OperatorActions;
import io.tasker.orchestration.TaskCreator;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.UnservedSteps;
import io.tasker.worker.LocalWorkers;

import javax.sql.DataSource;

/** What the API serves requests with; all of it works on one Tasker database. */
public record ApiServices(TaskCreator creator, TaskQueries queries, OperatorActions actions, DeadLetters deadLetters,
                          TemplateRegistry templates, UnservedSteps unserved, DataSource dataSource) {

    /** Services whose new tasks start on a worker of this process when one has room (as in {@code tasker dev}). */
    public static ApiServices on(DataSource dataSource) {
        TemplateRegistry templates = new TemplateRegistry(dataSource);
        return new ApiServices(new TaskCreator(dataSource, templates, LocalWorkers.inThisProcess()),
                new TaskQueries(dataSource), new OperatorActions(dataSource), new DeadLetters(dataSource), templates,
                new UnservedSteps(dataSource), dataSource);
    }
}
