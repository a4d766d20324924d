package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.WorkerRoster.Advert;
import io.tasker.core.queue.WorkerRoster.LiveWorker;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerRosterTest extends EveryServerTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Test
    void aWorkerThatJoinedIsLiveWithWhatItRuns() {
        WorkerRoster.join(dataSource, new Advert("w1", List.of("greetings", "billing"), List.of("Greetings::SayHello"),
                LEASE));

        List<LiveWorker> live = WorkerRoster.live(dataSource);

        assertThat(live).singleElement().satisfies(worker -> {
            assertThat(worker.workerId()).isEqualTo("w1");
            assertThat(worker.namespaces()).containsExactlyInAnyOrder("greetings", "billing");
            assertThat(worker.callables()).containsExactly("Greetings::SayHello");
            assertThat(worker.lease()).isEqualTo(LEASE);
            assertThat(worker.startedAt()).isNotNull();
            assertThat(worker.lastHeartbeat()).isAfterOrEqualTo(worker.startedAt());
            assertThat(worker.runs("greetings", "Greetings::SayHello")).isTrue();
            assertThat(worker.runs("greetings", "Greetings::SayHelo")).isFalse();
            assertThat(worker.runs("other", "Greetings::SayHello")).isFalse();
        });
    }

    @Test
    void aWorkerThatCannotListItsCallablesRunsEveryCallableOfItsNamespaces() {
        WorkerRoster.join(dataSource, new Advert("w1", List.of("greetings"), null, LEASE));

        LiveWorker worker = WorkerRoster.live(dataSource).getFirst();

        assertThat(worker.callables()).isNull();
        assertThat(worker.runs("greetings", "Anything")).isTrue();
        assertThat(worker.runs("other", "Anything")).isFalse();
    }

    @Test
    void aWorkerThatLeftIsGone() {
        WorkerRoster.join(dataSource, new Advert("w1", List.of("greetings"), List.of("A"), LEASE));
        WorkerRoster.join(dataSource, new Advert("w2", List.of("greetings"), List.of("B"), LEASE));

        WorkerRoster.leave(dataSource, "w1");

        assertThat(WorkerRoster.live(dataSource)).extracting(LiveWorker::workerId).containsExactly("w2");
        assertThat(rows()).containsExactly("w2");
    }

    @Test
    void aWorkerWhoseHeartbeatIsOlderThanThreeLeasesIsGoneUntilItBeatsAgain() {
        Advert advert = new Advert("w1", List.of("greetings"), List.of("A"), LEASE);
        WorkerRoster.join(dataSource, advert);
        heartbeatAgo("w1", "89 seconds");
        assertThat(WorkerRoster.live(dataSource)).as("two heartbeats late, within three leases").hasSize(1);

        heartbeatAgo("w1", "91 seconds");
        assertThat(WorkerRoster.live(dataSource)).isEmpty();

        WorkerRoster.heartbeat(dataSource, advert);
        assertThat(WorkerRoster.live(dataSource)).extracting(LiveWorker::workerId).containsExactly("w1");
    }

    @Test
    void aHeartbeatWritesTheRowAgainWithWhatTheWorkerRunsNow() {
        WorkerRoster.join(dataSource, new Advert("w1", List.of("greetings"), List.of("A"), LEASE));
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c, "delete from tasker_workers"));

        WorkerRoster.heartbeat(dataSource, new Advert("w1", List.of("greetings"), List.of("A", "B"), LEASE));

        assertThat(WorkerRoster.live(dataSource)).singleElement()
                .satisfies(worker -> assertThat(worker.callables()).isEqualTo(Set.of("A", "B")));
    }

    @Test
    void aJoiningWorkerForgetsWorkersGoneForADay() {
        WorkerRoster.join(dataSource, new Advert("dead", List.of("greetings"), List.of("A"), LEASE));
        WorkerRoster.join(dataSource, new Advert("crashed", List.of("greetings"), List.of("A"), LEASE));
        heartbeatAgo("dead", "25 hours");
        heartbeatAgo("crashed", "1 hour");

        WorkerRoster.join(dataSource, new Advert("new", List.of("greetings"), List.of("A"), LEASE));

        assertThat(rows()).containsExactly("crashed", "new");
    }

    private void heartbeatAgo(String workerId, String interval) {
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c,
                "update tasker_workers set last_heartbeat = now() - ?::interval where worker_id = ?", interval, workerId));
    }

    private List<String> rows() {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, "select worker_id from tasker_workers order by 1",
                row -> row.getString(1)));
    }
}
