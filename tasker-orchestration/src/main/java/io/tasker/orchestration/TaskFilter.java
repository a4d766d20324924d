package io.tasker.orchestration;

import io.tasker.core.state.TaskState;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Which tasks a list shows; a null field (or an empty {@code states}) does not filter.
 *
 * @param idPrefix  the start of the task's id, hex digits and dashes, lower case
 * @param createdFrom inclusive
 * @param createdTo exclusive
 */
public record TaskFilter(String namespace, String name, List<TaskState> states, String initiator,
                         UUID correlationId, Instant createdFrom, Instant createdTo, String idPrefix) {
    public static final TaskFilter ALL = new TaskFilter(null, null, List.of(), null, null, null, null, null);

    public TaskFilter {
        states = states == null ? List.of() : List.copyOf(states);
    }
}
