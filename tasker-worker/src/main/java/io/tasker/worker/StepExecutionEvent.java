package io.tasker.worker;

import java.util.UUID;

/** Published by the foundation when a claimed step is ready to run in a handler. */
public record StepExecutionEvent(UUID eventId, UUID taskUuid, UUID stepUuid, TaskSequenceStep taskSequenceStep) {}
