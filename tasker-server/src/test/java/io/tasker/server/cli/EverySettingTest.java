package io.tasker.server.cli;

import ch.qos.logback.classic.Level;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.core.config.Source;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.server.api.ApiToken;
import io.tasker.server.api.Scope;
import io.tasker.server.config.Settings;
import io.tasker.worker.WorkerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting of the catalogue, reached from its flag on a command that uses it, from its
 * variable and from {@code tasker.yaml}, in that order of precedence, and found where the command
 * puts it to work: the worker's {@link WorkerConfig}, the orchestrator's options, the pool size,
 * the API's settings, the log level, the client's options.
 */
class EverySettingTest {
    @TempDir
    static Path dir;

    /**
     * A setting with three values, for the flag, the variable and the file: each differs from the
     * next, and the file's from the default, so each source shows. {@code applied} reads the value
     * where the command uses it; {@code meaning} is what that should be for one of the texts.
     */
    record Sample(Setting<?> setting, List<String> command, List<String> texts,
                  Function<Configuration, Object> applied, Function<String, Object> meaning) {
        @Override
        public String toString() {
            return setting.key();
        }
    }

    private static final Map<Setting<?>, Sample> SAMPLES = new LinkedHashMap<>();

    @BeforeAll
    static void samples() throws IOException {
        List<String> worker = List.of("worker");
        List<String> server = List.of("server");
        List<String> dev = List.of("dev");
        List<String> client = List.of("task", "list");
        Function<Configuration, WorkerConfig> workerConfig = c -> Settings.worker(c).namespaces("x").build();
        add(Settings.DATABASE_URL, worker, texts("postgresql://flag@db1/a", "postgresql://env@db2/b",
                "postgresql://file@db3/c"), DatabaseOptions::require, DatabaseUrl::parse);
        add(Settings.POOL_SIZE, worker, texts("7", "8", "9"), c -> Settings.poolSize(c, true), Integer::valueOf);
        add(Settings.SLOTS, worker, texts("3", "4", "5"), c -> workerConfig.apply(c).maxConcurrentSteps(),
                Integer::valueOf);
        add(Settings.LEASE, worker, texts("9s", "12s", "15s"), c -> workerConfig.apply(c).lease(), null);
        add(Settings.HEARTBEAT_INTERVAL, worker, texts("1s", "2s", "3s"),
                c -> workerConfig.apply(c).heartbeatInterval(), null);
        add(Settings.DEPLOYMENT_MODE, worker, texts("polling", "event_driven", "polling"),
                c -> workerConfig.apply(c).deploymentMode(), null);
        add(Settings.POLL_INTERVAL, worker, texts("100ms", "200ms", "300ms"),
                c -> workerConfig.apply(c).pollInterval(), null);
        add(Settings.MAX_POLL_INTERVAL, worker, texts("2s", "3s", "4s"), c -> workerConfig.apply(c).maxPollInterval(),
                null);
        add(Settings.SHUTDOWN_TIMEOUT, worker, texts("0s", "5s", "7s"), c -> workerConfig.apply(c).shutdownTimeout(),
                null);
        add(Settings.CANCEL_GRACE, worker, texts("1s", "2s", "3s"), c -> workerConfig.apply(c).cancelGrace(), null);
        add(Settings.NAMESPACES, worker, texts("a", "b,c", "d"), c -> c.get(Settings.NAMESPACES), null);
        add(Settings.RETRY_POLL_INTERVAL, server, texts("1s", "2s", "3s"),
                c -> Settings.orchestrator(c).retryPollInterval(), null);
        add(Settings.LEASE_SWEEP_INTERVAL, server, texts("6s", "7s", "8s"),
                c -> Settings.orchestrator(c).leaseSweepInterval(), null);
        add(Settings.STALE_TASK_AGE, server, texts("2h", "3h", "4h"), c -> Settings.orchestrator(c).staleTaskAge(),
                null);
        add(Settings.STALE_SWEEP_INTERVAL, server, texts("2m", "3m", "4m"),
                c -> Settings.orchestrator(c).staleSweepInterval(), null);
        add(Settings.SWEEP_BATCH_SIZE, server, texts("10", "20", "30"), c -> Settings.orchestrator(c).batchSize(),
                Integer::valueOf);
        add(Settings.API_HOST, server, texts("127.0.0.2", "127.0.0.3", "localhost"), c -> c.get(Settings.API_HOST),
                null);
        add(Settings.API_PORT, server, texts("9001", "9002", "9003"), c -> c.get(Settings.API_PORT), Integer::valueOf);
        add(Settings.API_TOKENS_FILE, server, texts(tokens("flagged"), tokens("variable"), tokens("filed")),
                c -> ApiOptions.settings(c).tokens().all().stream().map(ApiToken::name).toList(),
                text -> List.of(Path.of(text).getFileName().toString()));
        add(Settings.API_ALLOWED_ORIGINS, server, texts("https://a.example", "https://b.example", "https://c.example"),
                c -> ApiOptions.settings(c).allowedOrigins(), null);
        add(Settings.API_ALLOWED_HOSTS, server, texts("a.example", "b.example", "c.example"),
                c -> ApiOptions.settings(c).allowedHosts(), null);
        add(Settings.LOG_LEVEL, worker, texts("warn", "error", "debug"), LogOptions::level, Level::toLevel);
        add(Settings.LOG_FORMAT, worker, texts("json", "text", "json"), c -> c.get(Settings.LOG_FORMAT), null);
        add(Settings.DATA_DIR, dev, texts(folder("data-flag"), folder("data-env"), folder("data-file")),
                c -> c.get(Settings.DATA_DIR), null);
        add(Settings.DATABASE_PORT, dev, texts("15432", "15433", "15434"), c -> c.get(Settings.DATABASE_PORT),
                Integer::valueOf);
        add(Settings.ENVIRONMENT, worker, texts("staging", "test", "production"),
                c -> workerConfig.apply(c).environment(), null);
        add(Settings.TEMPLATE_PATH, worker, texts(folder("path-flag"), folder("path-env"), folder("path-file")),
                c -> new TemplateOptions().given(c).folders(), null);
        add(Settings.CLIENT_URL, client, texts("http://127.0.0.1:9001", "http://127.0.0.1:9002",
                "http://127.0.0.1:9003"), c -> ApiClientOptions.options(c).baseUrl().toString(), null);
        add(Settings.CLIENT_TOKEN, client, texts("tasker_flagged", "tasker_variable", "tasker_filed"),
                c -> ApiClientOptions.options(c).token(), null);
    }

    private static List<String> texts(String flag, String variable, String file) {
        return List.of(flag, variable, file);
    }

    private static void add(Setting<?> setting, List<String> command, List<String> texts,
                            Function<Configuration, Object> applied, Function<String, Object> meaning) {
        SAMPLES.put(setting, new Sample(setting, command, texts, applied,
                meaning != null ? meaning : text -> setting.type().parse(text).orElseThrow()));
    }

    /** A tokens file whose one token is named as the file. */
    private static String tokens(String name) throws IOException {
        return Files.writeString(dir.resolve(name), ApiToken.create(name, Scope.READ).apiToken().name() + " read "
                + "sha256:" + "0".repeat(64) + "\n").toString();
    }

    private static String folder(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name)).toString();
    }

    static Stream<Setting<?>> settings() {
        return Settings.ALL.stream();
    }

    @Test
    void everySettingHasASample() {
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(Settings.ALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void eachSettingComesFromItsFlagOverItsVariableOverTheFileOverItsDefault(Setting<?> setting) throws IOException {
        Sample sample = SAMPLES.get(setting);
        Path folder = Files.createTempDirectory(dir, setting.key());
        Path file = Files.writeString(folder.resolve("tasker.yaml"), yaml(setting.key(), sample.texts().get(2)));
        int line = setting.key().contains(".") ? 3 : 2;
        Map<String, String> variable = Map.of(setting.variable(), sample.texts().get(1));

        Configuration all = configure(sample, folder, variable, List.of(setting.flag(), sample.texts().get(0)));
        Configuration noFlag = configure(sample, folder, variable, List.of());
        Configuration fileOnly = configure(sample, folder, Map.of(), List.of());
        Files.delete(file);
        Configuration none = configure(sample, folder, Map.of(), List.of());

        assertThat(all.source(setting)).isEqualTo(new Source.Flag(setting.flag()));
        assertApplied(sample, all, 0);
        assertThat(noFlag.source(setting)).isEqualTo(new Source.Environment(setting.variable()));
        assertApplied(sample, noFlag, 1);
        assertThat(fileOnly.source(setting)).isEqualTo(new Source.File(file.toString(), line));
        assertApplied(sample, fileOnly, 2);
        assertThat(none.given(setting)).isFalse();
        assertThat(none.shown(setting)).as("the default").isNotEqualTo(fileOnly.shown(setting));
    }

    private static void assertApplied(Sample sample, Configuration config, int text) {
        assertThat(sample.applied().apply(config)).as("%s from %s", sample, config.source(sample.setting()).describe())
                .isEqualTo(sample.meaning().apply(sample.texts().get(text)));
    }

    /** The setting in a file as a user writes it: in its section, after a comment. */
    private static String yaml(String key, String value) {
        int dot = key.lastIndexOf('.');
        String quoted = "'" + value + "'";
        return dot < 0 ? "# Tasker\n" + key + ": " + quoted + "\n"
                : "# Tasker\n" + key.substring(0, dot) + ":\n  " + key.substring(dot + 1) + ": " + quoted + "\n";
    }

    /** The configuration the sample's command gets, its command line parsed as {@code main} parses it. */
    private static Configuration configure(Sample sample, Path workingDirectory, Map<String, String> environment,
                                           List<String> flag) {
        Map<String, String> env = new HashMap<>(environment);
        CommandLine commandLine = TaskerCommand.commandLine(new TaskerCommand(env, "tasker", workingDirectory));
        commandLine.setErr(new PrintWriter(new StringWriter()));
        List<String> args = new ArrayList<>(sample.command());
        args.addAll(flag);
        ParseResult parsed = commandLine.parseArgs(args.toArray(String[]::new));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return TaskerCommand.configuration(parsed.commandSpec());
    }
}
