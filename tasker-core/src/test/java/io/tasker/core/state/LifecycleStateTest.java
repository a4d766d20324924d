package io.tasker.core.state;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.tasker.core.state.StepState.ENQUEUED;
import static io.tasker.core.state.StepState.WAITING_FOR_RETRY;
import static io.tasker.core.state.TaskState.CANCELLED;
import static io.tasker.core.state.TaskState.COMPLETE;
import static io.tasker.core.state.TaskState.ERROR;
import static io.tasker.core.state.TaskState.IN_PROGRESS;
import static io.tasker.core.state.TaskState.PENDING;
import static io.tasker.core.state.TaskState.RESOLVED_MANUALLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifecycleStateTest {

    @Test
    void taskTransitionsAreTheDocumentedOnes() {
        Map<TaskState, Set<TaskState>> expected = Map.of(
                PENDING, Set.of(IN_PROGRESS, ERROR, CANCELLED),
                IN_PROGRESS, Set.of(COMPLETE, ERROR, CANCELLED),
                ERROR, Set.of(IN_PROGRESS, RESOLVED_MANUALLY, CANCELLED),
                COMPLETE, Set.of(),
                CANCELLED, Set.of(),
                RESOLVED_MANUALLY, Set.of());
        for (TaskState from : TaskState.values()) {
            assertThat(from.targets()).as("%s", from).containsExactlyInAnyOrderElementsOf(expected.get(from));
            for (TaskState to : TaskState.values()) {
                assertThat(from.canTransitionTo(to)).as("%s -> %s", from, to).isEqualTo(expected.get(from).contains(to));
            }
        }
        assertThat(EnumSet.allOf(TaskState.class).stream().filter(TaskState::isFinal))
                .containsExactlyInAnyOrder(COMPLETE, CANCELLED, RESOLVED_MANUALLY);
    }

    @Test
    void stepTransitionsAreTheDocumentedOnes() {
        Map<StepState, Set<StepState>> expected = Map.of(
                StepState.PENDING, Set.of(ENQUEUED, StepState.IN_PROGRESS, StepState.CANCELLED),
                ENQUEUED, Set.of(StepState.IN_PROGRESS, StepState.CANCELLED),
                StepState.IN_PROGRESS, Set.of(StepState.COMPLETE, WAITING_FOR_RETRY, StepState.ERROR, ENQUEUED,
                        StepState.CANCELLED),
                WAITING_FOR_RETRY, Set.of(ENQUEUED, StepState.ERROR, StepState.CANCELLED),
                StepState.ERROR, Set.of(ENQUEUED, StepState.RESOLVED_MANUALLY, StepState.COMPLETE, StepState.CANCELLED),
                StepState.COMPLETE, Set.of(),
                StepState.CANCELLED, Set.of(),
                StepState.RESOLVED_MANUALLY, Set.of());
        for (StepState from : StepState.values()) {
            assertThat(from.targets()).as("%s", from).containsExactlyInAnyOrderElementsOf(expected.get(from));
            for (StepState to : StepState.values()) {
                assertThat(from.canTransitionTo(to)).as("%s -> %s", from, to).isEqualTo(expected.get(from).contains(to));
            }
        }
        assertThat(EnumSet.allOf(StepState.class).stream().filter(StepState::isFinal))
                .containsExactlyInAnyOrder(StepState.COMPLETE, StepState.CANCELLED, StepState.RESOLVED_MANUALLY);
        assertThat(EnumSet.allOf(StepState.class).stream().filter(StepState::isInitial))
                .containsExactlyInAnyOrder(StepState.PENDING, ENQUEUED, StepState.IN_PROGRESS);
        assertThat(EnumSet.allOf(TaskState.class).stream().filter(TaskState::isInitial))
                .containsExactly(TaskState.IN_PROGRESS);
    }

    @Test
    void databaseValuesAreLowerSnakeAndRoundTrip() {
        assertThat(RESOLVED_MANUALLY.dbValue()).isEqualTo("resolved_manually");
        assertThat(WAITING_FOR_RETRY.dbValue()).isEqualTo("waiting_for_retry");
        for (TaskState state : TaskState.values()) {
            assertThat(TaskState.fromDb(state.dbValue())).isEqualTo(state);
        }
        for (StepState state : StepState.values()) {
            assertThat(StepState.fromDb(state.dbValue())).isEqualTo(state);
        }
    }

    @Test
    void unknownDatabaseValuesAreRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> StepState.fromDb("IN_PROGRESS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown StepState 'IN_PROGRESS'")
                .hasMessageContaining("in_progress");
        assertThatThrownBy(() -> TaskState.fromDb(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTablesCannotBeChangedFromOutside() {
        assertThatThrownBy(() -> PENDING.targets().add(COMPLETE)).isInstanceOf(UnsupportedOperationException.class);
    }
}
