package io.tasker.core.db;

import com.zaxxer.hikari.HikariDataSource;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Database errors say whose problem they are, from their SQLSTATE, and conflicts are run again. */
class DatabaseExceptionTest extends EveryServerTest {

    @Test
    void theSqlStateSaysWhoseProblemAnErrorIs() {
        assertThat(kind("22P05")).as("untranslatable character").isEqualTo(DatabaseException.Kind.BAD_DATA);
        assertThat(kind("22003")).as("numeric out of range").isEqualTo(DatabaseException.Kind.BAD_DATA);
        assertThat(kind("23505")).as("unique violation").isEqualTo(DatabaseException.Kind.BAD_DATA);
        assertThat(kind("08006")).as("connection failure").isEqualTo(DatabaseException.Kind.UNAVAILABLE);
        assertThat(kind("57P01")).as("admin shutdown").isEqualTo(DatabaseException.Kind.UNAVAILABLE);
        assertThat(kind("53300")).as("too many connections").isEqualTo(DatabaseException.Kind.UNAVAILABLE);
        assertThat(kind("40001")).as("serialization failure").isEqualTo(DatabaseException.Kind.CONFLICT);
        assertThat(kind("40P01")).as("deadlock").isEqualTo(DatabaseException.Kind.CONFLICT);
        assertThat(kind("42P01")).as("undefined table").isEqualTo(DatabaseException.Kind.FAILED);
        assertThat(kind("57014")).as("query canceled").isEqualTo(DatabaseException.Kind.FAILED);
        assertThat(DatabaseException.kindOf(new SQLTransientConnectionException("pool timeout")))
                .isEqualTo(DatabaseException.Kind.UNAVAILABLE);
    }

    @Test
    void aValueTheDatabaseRefusesIsBadData() {
        assertThatThrownBy(() -> Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c,
                "select ?::jsonb", row -> 1, Jdbc.json("{\"a\": \"\\u0000\"}"))))
                .isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.kind()).isEqualTo(DatabaseException.Kind.BAD_DATA));
    }

    @Test
    void aPoolThatCannotHandOutAConnectionMeansTheDatabaseIsUnavailableAndSaysSoQuickly() {
        try (Database closed = Database.connect(db.database().url(), 1)) {
            // Waiting for a connection is bounded, so a database that is away is reported in seconds.
            assertThat(((HikariDataSource) closed.dataSource()).getConnectionTimeout()).isEqualTo(2_000);
            closed.close();
            assertThatThrownBy(() -> Jdbc.withConnection(closed.dataSource(), c -> 1))
                    .isInstanceOfSatisfying(DatabaseException.class,
                            e -> assertThat(e.kind()).isEqualTo(DatabaseException.Kind.UNAVAILABLE));
        }
    }

    @Test
    void aTransactionThatLosesADeadlockRunsAgain() throws Exception {
        Jdbc.withConnection(dataSource, c -> Jdbc.update(c,
                "create table deadlock_test (id int primary key); insert into deadlock_test values (1), (2)"));
        CountDownLatch bothLocked = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<Integer> first = threads.submit(() -> lockBoth(1, 2, bothLocked, runs));
            Future<Integer> second = threads.submit(() -> lockBoth(2, 1, bothLocked, runs));
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        }
        assertThat(runs.get()).as("the loser ran twice").isEqualTo(3);
    }

    private int lockBoth(int a, int b, CountDownLatch bothLocked, AtomicInteger runs) {
        return Jdbc.inTransaction(dataSource, c -> {
            runs.incrementAndGet();
            Jdbc.query(c, "select id from deadlock_test where id = ? for update", row -> 1, a);
            bothLocked.countDown();
            try {
                bothLocked.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Jdbc.query(c, "select id from deadlock_test where id in (?, ?) for update", row -> 1, a, b).size();
        });
    }

    private static DatabaseException.Kind kind(String sqlState) {
        return DatabaseException.kindOf(new SQLException("test", sqlState));
    }
}
