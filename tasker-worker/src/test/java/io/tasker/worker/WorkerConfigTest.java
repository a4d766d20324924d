package io.tasker.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerConfigTest {

    @Test
    void everyOptionButTheNamespacesHasADefault() {
        WorkerConfig config = WorkerConfig.builder().namespaces("orders").build();

        assertThat(config.workerId()).startsWith("worker-");
        assertThat(config.environment()).isEqualTo(System.getenv().getOrDefault("TASKER_ENV", "development"));
        assertThat(config.namespaces()).containsExactly("orders");
        assertThat(config.deploymentMode()).isEqualTo(DeploymentMode.HYBRID);
        assertThat(config.maxConcurrentSteps()).isEqualTo(16);
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.maxPollInterval()).as("no growth unless asked for").isEqualTo(config.pollInterval());
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.webApiEnabled()).isFalse();
        assertThat(WorkerConfig.builder().namespaces("orders").build().workerId()).isNotEqualTo(config.workerId());
    }

    @Test
    void theHeartbeatFollowsTheLeaseUnlessSetAndNamespacesAreKeptOnce() {
        WorkerConfig config = WorkerConfig.builder().namespaces("a", "b", "a").lease(Duration.ofSeconds(9)).build();

        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.namespaces()).containsExactly("a", "b");
        assertThat(config.toBuilder().heartbeatInterval(Duration.ofSeconds(1)).build())
                .isEqualTo(new WorkerConfig(config.workerId(), config.environment(), config.namespaces(),
                        config.deploymentMode(), config.maxConcurrentSteps(), config.lease(), Duration.ofSeconds(1),
                        config.pollInterval(), config.maxPollInterval(), config.shutdownTimeout(), config.cancelGrace(), config.webApiEnabled()));
    }

    @Test
    void aConfigurationThatCannotWorkIsRefusedWithEveryProblemNamed() {
        assertThatThrownBy(() -> WorkerConfig.builder().maxConcurrentSteps(0).lease(Duration.ofSeconds(3))
                .heartbeatInterval(Duration.ofSeconds(3)).pollInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespaces must name at least one namespace")
                .hasMessageContaining("maxConcurrentSteps must be at least 1, got 0")
                .hasMessageContaining("pollInterval must be positive")
                .hasMessageContaining("heartbeatInterval (PT3S) must be shorter than the lease (PT3S)");
        assertThatThrownBy(() -> WorkerConfig.builder().namespaces("a").pollInterval(Duration.ofSeconds(2))
                .maxPollInterval(Duration.ofSeconds(1)).build())
                .hasMessageContaining("maxPollInterval (PT1S) must not be shorter than pollInterval (PT2S)");
        assertThatThrownBy(() -> WorkerConfig.builder().namespaces("x".repeat(60)).build())
                .hasMessageContaining("cannot be a queue channel");
    }
}
