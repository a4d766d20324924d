package io.tasker.core.queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelTest {

    @Test
    void aNamespaceHasOneChannelThatPostgresqlWillNotTruncate() {
        assertThat(StepQueue.channel("billing")).isEqualTo("tasker_ready_billing");
        assertThat(StepQueue.channel("n".repeat(50))).hasSize(63);
        assertThatThrownBy(() -> StepQueue.channel("n".repeat(51)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 50 bytes");
        assertThatThrownBy(() -> StepQueue.channel(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
