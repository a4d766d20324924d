package io.tasker.core.db;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest extends EveryServerTest {

    @Test
    void migrationCreatesTheSchemaAndIsIdempotent() {
        var second = db.database().migrate();
        assertThat(second.migrationsExecuted).isZero();
        List<String> tables = Jdbc.withConnection(dataSource, c -> Jdbc.query(c,
                "select table_name from information_schema.tables where table_schema = 'public' order by 1",
                row -> row.getString(1)));
        assertThat(tables).contains("tasker_tasks", "tasker_steps", "tasker_step_edges", "tasker_templates",
                "tasker_namespaces", "tasker_task_transitions", "tasker_step_transitions", "tasker_dead_letters");
    }
}
