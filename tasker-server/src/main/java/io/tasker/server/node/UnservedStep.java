package io.tasker.server.node;

import io.tasker.core.template.StepTemplate;
import io.tasker.core.template.TaskTemplate;

/**
 * A step of a registered template, in a namespace this process serves, that none of the handlers
 * loaded here runs: its tasks wait until a worker that runs it starts, which is most often a typo
 * in the template's callable.
 */
public record UnservedStep(TaskTemplate template, StepTemplate step) {

    public String callable() {
        return step.handler().callable();
    }

    /** One line for the start-up output. */
    public String warning() {
        return "no handler here runs `" + callable() + "` (step " + step.name() + " of " + template.key()
                + "): its tasks wait until a worker that runs it starts";
    }
}
