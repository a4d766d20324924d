package io.tasker.core.queue;

import io.tasker.core.db.DatabaseException;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.state.StepState;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class QueueListenerTest extends EveryServerTest {
    private final List<String> woken = new CopyOnWriteArrayList<>();

    @Test
    void wakesForItsOwnNamespacesOnlyOnceEachPerCommit() {
        try (QueueListener ignored = QueueListener.start(db.database().url(), List.of("alpha", "beta"), woken::add)) {
            enqueueSteps("alpha", 50);
            enqueueSteps("gamma", 5);
            enqueueSteps("beta", 1);
            // Commits are delivered in order: once beta is in, alpha and (if it leaked) gamma were too.
            await().atMost(10, TimeUnit.SECONDS).until(() -> woken.contains("beta"));
            assertThat(woken).containsExactly("alpha", "beta");
        }
    }

    @Test
    void reconnectsAfterLosingItsConnectionAndWakesForEverythingItMayHaveMissed() {
        try (QueueListener ignored = QueueListener.start(db.database().url(), List.of("alpha", "beta"), woken::add)) {
            int terminated = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, """
                    select pg_terminate_backend(pid) from pg_stat_activity
                     where datname = current_database() and application_name = ?
                    """, row -> row.getBoolean(1), QueueListener.APPLICATION_NAME)).size();
            assertThat(terminated).isEqualTo(1);

            await().atMost(10, TimeUnit.SECONDS).until(() -> woken.containsAll(List.of("alpha", "beta")));
            woken.clear();
            enqueueSteps("beta", 1);
            await().atMost(10, TimeUnit.SECONDS).until(() -> woken.contains("beta"));
            assertThat(woken).containsExactly("beta");
        }
    }

    @Test
    void closingEndsTheSession() {
        QueueListener listener = QueueListener.start(db.database().url(), List.of("alpha"), woken::add);
        assertThat(listenerSessions()).isEqualTo(1);
        listener.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> listenerSessions() == 0);
    }

    @Test
    void aListenerThatCannotConnectFailsToStart() {
        DatabaseUrl nowhere = db.database().url().withDatabase("tasker_no_such_database");
        assertThatThrownBy(() -> QueueListener.start(nowhere, List.of("alpha"), woken::add))
                .isInstanceOf(DatabaseException.class)
                .hasMessageContaining("cannot LISTEN for ready steps");
    }

    /** Steps whose retry is due, made claimable by the retry poller's statement, which notifies. */
    private void enqueueSteps(String namespace, int count) {
        var steps = TaskRows.steps(dataSource, namespace, StepState.WAITING_FOR_RETRY, count);
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c,
                "update tasker_steps set next_attempt_at = now() - interval '1 second' where id = any(?)",
                Jdbc.uuidArray(steps)));
        StepQueue.enqueueDueRetries(dataSource, 1000);
    }

    private int listenerSessions() {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, """
                select count(*) from pg_stat_activity where datname = current_database() and application_name = ?
                """, row -> row.getInt(1), QueueListener.APPLICATION_NAME)).orElseThrow();
    }
}
