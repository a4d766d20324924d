package io.tasker.server.cli;

import io.tasker.core.db.Database;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Jdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DevCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void startsOnAnEmbeddedDatabaseAndKeepsItsDataAcrossRestarts() {
        try (RunningDev first = RunningDev.start(dataDir)) {
            assertThat(first.output())
                    .contains("schema      version 1 (applied 1 migration just now)")
                    .contains("REST API    not yet available in this build (it will serve on port 8080)")
                    .contains("templates   examples/linear_workflow@1.0.0, 4 steps: registered")
                    .contains("examples/order_fulfillment@1.0.0, 4 steps: registered");
            try (Database db = first.connect()) {
                Jdbc.withConnection(db.dataSource(), c -> Jdbc.update(c, "create table dev_restart_marker (id int)"));
            }
            assertThat(first.stop()).isZero();
            assertThat(first.output()).endsWith("stopped" + System.lineSeparator());
        }

        try (RunningDev second = RunningDev.start(dataDir)) {
            assertThat(second.output())
                    .contains("schema      version 1 (up to date)")
                    .contains("templates   examples/linear_workflow@1.0.0, 4 steps: unchanged");
            try (Database db = second.connect()) {
                Optional<Boolean> markerKept = Jdbc.withConnection(db.dataSource(), c -> Jdbc.queryOne(c,
                        "select to_regclass('dev_restart_marker') is not null", row -> row.getBoolean(1)));
                assertThat(markerKept).contains(true);
            }
            assertThat(second.stop()).isZero();
        }
    }

    @Test
    void aBadSettingIsRefusedBeforeAnythingStarts() {
        CommandRun run = CommandRun.run(Map.of("TASKER_PORT", "eighty"), "dev", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: TASKER_PORT must be a port number (0-65535), got 'eighty'");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void registersTheTemplatesOfEveryTemplatesFolder(@TempDir Path templates) {
        Templates.write(templates, "greeting.yaml", Templates.VALID);

        try (RunningDev dev = RunningDev.start(dataDir, "--templates", templates.toString())) {
            assertThat(dev.output()).contains("team/greeting@1.0.0, 2 steps: registered");
            assertThat(dev.stop()).isZero();
        }
    }

    @Test
    void anInvalidTemplateStopsItBeforePostgresStarts(@TempDir Path templates) {
        Path bad = Templates.write(templates, "broken.yaml", Templates.INVALID);

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--templates", templates.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(bad + ":").contains("'zz'");
        assertThat(dataDir).isEmptyDirectory();
    }

    @Test
    void aChangedTemplateUnderARegisteredVersionIsRefused(@TempDir Path templates) {
        Path file = Templates.write(templates, "greeting.yaml", Templates.VALID);
        try (RunningDev dev = RunningDev.start(dataDir, "--templates", templates.toString())) {
            assertThat(dev.stop()).isZero();
        }
        Templates.write(templates, file.getFileName().toString(), Templates.VALID.replace("com.example.Goodbye", "com.example.Bye"));

        CommandRun run = CommandRun.run(Map.of(), "dev", "--data-dir", dataDir.toString(),
                "--templates", templates.toString());

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err().strip()).isEqualTo("error: team/greeting@1.0.0 is already registered with different "
                + "content; bump the version to register a change");
    }

    /** {@code tasker dev} running on its own thread, as it runs in a user's terminal. */
    private record RunningDev(CommandLine commandLine, StringWriter buffer, CompletableFuture<Integer> exit)
            implements AutoCloseable {
        private static final Pattern DATABASE_URL = Pattern.compile("PostgreSQL +(postgresql://\\S+)");

        static RunningDev start(Path dataDir, String... moreArgs) {
            CommandLine commandLine = TaskerCommand.commandLine(new TaskerCommand(Map.of()));
            StringWriter output = new StringWriter();
            commandLine.setOut(new PrintWriter(output, true));
            commandLine.setErr(new PrintWriter(output, true));
            List<String> args = new ArrayList<>(List.of("dev", "--data-dir", dataDir.toString()));
            args.addAll(List.of(moreArgs));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> commandLine.execute(args.toArray(String[]::new)));
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> exit.isDone() || output.toString().contains("Press Ctrl-C to stop."));
            assertThat(exit).as(output.toString()).isNotDone();
            return new RunningDev(commandLine, output, exit);
        }

        String output() {
            return buffer.toString();
        }

        /** Connects to the embedded PostgreSQL at the URL the command printed for the user. */
        Database connect() {
            Matcher url = DATABASE_URL.matcher(output());
            assertThat(url.find()).as(output()).isTrue();
            return Database.connect(DatabaseUrl.parse(url.group(1)), 1);
        }

        int stop() {
            ((DevCommand) commandLine.getSubcommands().get("dev").getCommand()).stop();
            return exit.orTimeout(1, TimeUnit.MINUTES).join();
        }

        @Override
        public void close() {
            if (!exit.isDone()) {
                stop();
            }
        }
    }
}
