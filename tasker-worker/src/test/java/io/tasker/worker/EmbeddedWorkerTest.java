package io.tasker.worker;

import io.tasker.core.TaskerException;
import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A worker an application starts in its own JVM on a database URL, with handlers registered in code. */
class EmbeddedWorkerTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    @Test
    void aWorkerStartedOnADatabaseUrlRunsTasksAndClosesItsOwnPoolWhenItStops() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: greet
                version: 1.0.0
                steps:
                  - name: greet
                    handler: {callable: app.Greet}
                """, ns);
        UUID task = fixture.createTask(ns, "greet", "{\"name\": \"Ada\"}");
        int connectionsBefore = connections();
        StepHandlerRegistry handlers = new StepHandlerRegistry().register("app.Greet",
                () -> context -> StepHandlerResult.success(Map.of("greeting",
                        "hello " + context.taskContext().get("name").asText())));

        WorkerSystemHandle worker = WorkerBootstrap.bootstrap(config(ns).build(), url(fixture.db().database().url()),
                handlers);
        try {
            fixture.awaitTaskState(task, "complete");
            assertThat(fixture.step(task, "greet").results().get("greeting").asText()).isEqualTo("hello Ada");
            assertThat(worker.status().databasePoolSize()).isEqualTo(WorkerConfig.poolSizeFor(16));
        } finally {
            worker.stop();
        }

        assertThat(worker.isRunning()).isFalse();
        eventually().untilAsserted(() -> assertThat(connections()).isLessThanOrEqualTo(connectionsBefore));
    }

    @Test
    void aDatabaseWithoutTheSchemaIsRefusedWithWhatToRun() {
        DatabaseUrl admin = fixture.db().server().adminUrl();
        String name = "tasker_unmigrated_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Database db = Database.connect(admin, 1)) {
            Jdbc.withConnection(db.dataSource(), c -> Jdbc.update(c, "create database " + name));
        }
        try {
            assertThatThrownBy(() -> WorkerBootstrap.bootstrap(config("anything").build(),
                    url(admin.withDatabase(name)), new StepHandlerRegistry()))
                    .isInstanceOf(TaskerException.class)
                    .hasMessage("the database has no Tasker schema yet: run 'tasker db migrate' on it, "
                            + "or start 'tasker server' on it first");
        } finally {
            try (Database db = Database.connect(admin, 1)) {
                Jdbc.withConnection(db.dataSource(), c -> Jdbc.update(c, "drop database " + name + " with (force)"));
            }
        }
    }

    @Test
    void aUrlThatIsNotPostgresIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> WorkerBootstrap.bootstrap(config("anything").build(), "mysql://db/app",
                new StepHandlerRegistry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected postgresql://user@host:port/db");
    }

    /** The URL as an application would give it: one string, credentials in it. */
    private static String url(DatabaseUrl url) {
        StringBuilder jdbc = new StringBuilder(url.jdbcUrl());
        if (url.user() != null) {
            jdbc.append(url.jdbcUrl().contains("?") ? '&' : '?')
                    .append("user=").append(URLEncoder.encode(url.user(), StandardCharsets.UTF_8));
            if (url.password() != null) {
                jdbc.append("&password=").append(URLEncoder.encode(url.password(), StandardCharsets.UTF_8));
            }
        }
        return jdbc.toString();
    }

    /** Connections to the test database other than the one asking. */
    private static int connections() {
        return Jdbc.withConnection(fixture.dataSource(), c -> Jdbc.queryOne(c,
                "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
                row -> row.getInt(1))).orElseThrow();
    }
}
