package io.tasker.core.db;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest extends EveryServerTest {

    @Test
    void migrationCreatesTheSchemaAndIsIdempotent() {
        var second = db.database().migrate();
        assertThat(second.migrationsExecuted).isZero();
        List<String> tables = Jdbc.withConnection(dataSource, c -> Jdbc.query(c,
                "select table_name from information_schema.tables where table_schema = 'public' order by 1",
                row -> row.getString(1)));
        assertThat(tables).contains("tasker_tasks", "tasker_steps", "tasker_templates", "tasker_namespaces",
                "tasker_task_transitions", "tasker_step_attempts", "tasker_dead_letters", "tasker_workers")
                .doesNotContain("tasker_step_edges", "tasker_step_transitions");
    }

    @Test
    void aMigrationNumberedBelowOneAppliedAlreadyIsAppliedWhenItArrives() {
        // As when V4 is merged after a database took V5: both orders of arrival must migrate.
        String name = "tasker_test_order_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DatabaseUrl admin = db.server().adminUrl();
        try (Database server = Database.connect(admin, 1)) {
            Jdbc.withConnection(server.dataSource(), c -> Jdbc.update(c, "create database " + name));
        }
        try (Database empty = Database.connect(admin.withDatabase(name), 2)) {
            var first = Database.migrate(empty.dataSource(), "classpath:db/out_of_order/first");
            var later = Database.migrate(empty.dataSource(), "classpath:db/out_of_order/first",
                    "classpath:db/out_of_order/later");

            assertThat(first.migrationsExecuted).isEqualTo(2);
            assertThat(later.migrationsExecuted).isEqualTo(1);
            List<String> tables = Jdbc.withConnection(empty.dataSource(), c -> Jdbc.query(c,
                    "select table_name from information_schema.tables where table_name like 'out_of_order_%' order by 1",
                    row -> row.getString(1)));
            assertThat(tables).containsExactly("out_of_order_one", "out_of_order_three", "out_of_order_two");
        } finally {
            try (Database server = Database.connect(admin, 1)) {
                Jdbc.withConnection(server.dataSource(), c -> Jdbc.update(c, "drop database if exists " + name
                        + " with (force)"));
            }
        }
    }

    @Test
    void everyIndexOfTheStepPathTablesIsOneAQueryUses() {
        // Each index costs every insert and every non-HOT update; the V2 migration says which query
        // reads each one. A new index needs a query that uses it, and a line here.
        List<String> indexes = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, """
                select indexname from pg_indexes
                 where schemaname = 'public' and tablename in ('tasker_tasks', 'tasker_steps', 'tasker_step_attempts')
                 order by 1
                """, row -> row.getString(1)));
        assertThat(indexes).containsExactly(
                "tasker_step_attempts_task",   // a task's history
                "tasker_steps_active",         // the step cycle: has a task a step still running (partial)
                "tasker_steps_claimable",      // the queue
                "tasker_steps_failed",         // operators' list of failed steps (partial: steps in error)
                "tasker_steps_in_progress",    // the lease sweeper, metrics
                "tasker_steps_pkey",
                "tasker_steps_retries",        // the retry poller
                "tasker_steps_task_position",  // a task's steps, a step's children and ancestors
                "tasker_tasks_identity",       // duplicate tasks
                "tasker_tasks_open",           // the stale-task sweeper, metrics
                "tasker_tasks_pkey",
                "tasker_tasks_recent");        // the task list
    }

    @Test
    void theStepRowsLeaveRoomForUpdatesOnTheirOwnPage() {
        List<String> options = Jdbc.withConnection(dataSource, c -> Jdbc.query(c, """
                select relname || ':' || array_to_string(reloptions, ',') from pg_class
                 where relname in ('tasker_steps', 'tasker_tasks') order by 1
                """, row -> row.getString(1)));
        assertThat(options).containsExactly("tasker_steps:fillfactor=85", "tasker_tasks:fillfactor=90");
    }
}
