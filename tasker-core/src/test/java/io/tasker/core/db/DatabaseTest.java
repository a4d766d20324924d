package io.tasker.core.db;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.testing.TestDatabase;
import io.tasker.core.testing.TestDatabases;
import io.tasker.core.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@MethodSource("servers")
record DatabaseTest(TestServer server) {

    static List<TestServer> servers() {
        return TestDatabases.all();
    }

    @Test
    void migrationCreatesTheSchemaAndIsIdempotent() {
        try (TestDatabase db = server.createDatabase()) {
            var second = db.database().migrate();
            assertThat(second.migrationsExecuted).isZero();
            List<String> tables = Jdbc.withConnection(db.dataSource(), c -> Jdbc.query(c,
                    "select table_name from information_schema.tables where table_schema = 'public' order by 1",
                    row -> row.getString(1)));
            assertThat(tables).contains("tasker_tasks", "tasker_steps", "tasker_step_edges", "tasker_templates",
                    "tasker_namespaces", "tasker_task_transitions", "tasker_step_transitions", "tasker_dead_letters");
        }
    }
}
