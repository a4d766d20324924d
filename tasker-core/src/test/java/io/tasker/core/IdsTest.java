package io.tasker.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    @Test
    void anIdTellsWhenItWasMade() {
        long millis = Instant.parse("2025-05-01T12:00:03.512Z").toEpochMilli();

        assertThat(Ids.timeOf(Ids.newId(millis))).contains(Instant.ofEpochMilli(millis));
    }

    @Test
    void anIdOfAnotherVersionTellsNothing() {
        assertThat(Ids.timeOf(UUID.randomUUID())).isEmpty();
    }
}
