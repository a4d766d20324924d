package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.state.StepState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.StateChanges;
import io.tasker.core.testing.TaskRows;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Many workers draining one queue at once: every step is claimed by exactly one of them, once. */
class ConcurrentClaimTest extends EveryServerTest {
    private static final int STEPS_PER_NAMESPACE = 1500;
    private static final List<List<String>> WORKER_NAMESPACES = List.of(
            List.of("alpha"), List.of("alpha"), List.of("beta"), List.of("beta"),
            List.of("alpha", "beta"), List.of("alpha", "beta"), List.of("beta", "alpha"), List.of("alpha", "beta"));

    private record Claim(String workerId, List<String> namespaces, ClaimedStep step) {}

    @Test
    void everyStepIsClaimedExactlyOnce() throws Exception {
        List<UUID> alpha = TaskRows.steps(dataSource, "alpha", StepState.ENQUEUED, STEPS_PER_NAMESPACE);
        List<UUID> beta = TaskRows.steps(dataSource, "beta", StepState.ENQUEUED, STEPS_PER_NAMESPACE);
        List<UUID> all = Stream.concat(alpha.stream(), beta.stream()).toList();
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c, "update tasker_steps set priority = (random() * 4)::int"));

        List<Claim> claims = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService workers = Executors.newFixedThreadPool(WORKER_NAMESPACES.size())) {
            List<Future<List<Claim>>> results = new ArrayList<>();
            for (int w = 0; w < WORKER_NAMESPACES.size(); w++) {
                results.add(workers.submit(worker(dataSource, "worker-" + w, WORKER_NAMESPACES.get(w),
                        new Random(w), start)));
            }
            start.countDown();
            for (Future<List<Claim>> result : results) {
                claims.addAll(result.get(60, TimeUnit.SECONDS));
            }
        }

        assertThat(claims).extracting(c -> c.step().stepId()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(claims).allSatisfy(c -> {
            assertThat(c.namespaces()).contains(c.step().namespace());
            assertThat(c.step().attempts()).isEqualTo(1);
        });
        Map<UUID, String> holders = new HashMap<>();
        claims.forEach(c -> holders.put(c.step().stepId(), c.workerId()));
        Map<UUID, String> stored = new HashMap<>();
        Jdbc.withConnection(dataSource, c -> Jdbc.query(c,
                "select id, claimed_by from tasker_steps where state = 'in_progress' and attempts = 1",
                row -> stored.put(Jdbc.uuid(row, "id"), row.getString("claimed_by"))));
        assertThat(stored).isEqualTo(holders);
        // Each step moved from enqueued to in_progress exactly once.
        assertThat(StateChanges.all(dataSource).stream()
                .filter(change -> "enqueued".equals(change.from()) && "in_progress".equals(change.to())))
                .hasSize(all.size());
    }

    private static Callable<List<Claim>> worker(DataSource dataSource, String workerId, List<String> namespaces,
                                                Random random, CountDownLatch start) {
        return () -> {
            List<Claim> claimed = new ArrayList<>();
            try (Connection connection = dataSource.getConnection()) {
                start.await();
                while (true) {
                    List<ClaimedStep> batch = StepQueue.claim(connection, workerId, namespaces, null,
                            1 + random.nextInt(10), Duration.ofMinutes(5));
                    if (batch.isEmpty()) {
                        return claimed;
                    }
                    batch.forEach(step -> claimed.add(new Claim(workerId, namespaces, step)));
                }
            }
        };
    }
}
