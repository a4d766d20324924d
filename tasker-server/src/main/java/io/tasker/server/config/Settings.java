package io.tasker.server.config;

import io.tasker.client.TaskerClientOptions;
import io.tasker.core.config.ConfigException;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.core.config.SettingType;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.template.TemplateLoader;
import io.tasker.orchestration.OrchestratorOptions;
import io.tasker.server.api.ApiServer;
import io.tasker.worker.DeploymentMode;
import io.tasker.worker.WorkerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of Tasker, in one place: its key in {@code tasker.yaml}, its {@code TASKER_*}
 * variable, its flag, the kind of value, its default and what it does. The commands' flags, their
 * help, {@code tasker config show} and docs/configuration.md are all made from this list.
 */
public final class Settings {
    /** Lowest level of Tasker's log lines. */
    public enum LogLevel { TRACE, DEBUG, INFO, WARN, ERROR }

    public enum LogFormat { TEXT, JSON }

    /** The pool of {@code tasker server}, which runs no worker: the API's requests and the orchestrator. */
    public static final int SERVER_POOL_SIZE = 20;

    private static final OrchestratorOptions ORCHESTRATOR = OrchestratorOptions.DEFAULTS;

    public static final Setting<String> DATABASE_URL = Setting.builder("database.url",
                    SettingType.text("a postgresql:// or jdbc:postgresql:// URL", DatabaseUrl::redact))
            .variable("TASKER_DATABASE_URL").fallbackVariable("DATABASE_URL")
            .flag("--database-url", "URL")
            .none("commands that need an external database say so; tasker dev runs its own")
            .description("The PostgreSQL to use, as postgresql://user[:password]@host:port/db or "
                    + "jdbc:postgresql://...")
            .build();

    public static final Setting<Integer> SLOTS = Setting.builder("worker.slots", SettingType.wholeNumber(1))
            .flag("--slots", "N").defaultValue(WorkerConfig.DEFAULT_MAX_CONCURRENT_STEPS)
            .description("Handler slots: the most steps a worker runs at once, each on a thread of its own.")
            .build();

    public static final Setting<Integer> POOL_SIZE = Setting.builder("database.pool_size", SettingType.wholeNumber(1))
            .flag("--pool-size", "N")
            .derived(SLOTS, "worker.slots + " + WorkerConfig.POOL_HEADROOM + "; tasker server: " + SERVER_POOL_SIZE,
                    values -> WorkerConfig.poolSizeFor(values.get(SLOTS)))
            .description("The most database connections the process opens. A worker's threads hold at most 3 at "
                    + "once and its handlers none, so one per slot is to spare; connections open only as needed.")
            .build();

    public static final Setting<Duration> LEASE = Setting.builder("worker.lease", SettingType.duration(false))
            .flag("--lease", "DURATION").defaultValue(WorkerConfig.DEFAULT_LEASE)
            .description("How long a claimed step stays a worker's without a heartbeat: after a crash, its steps "
                    + "run again elsewhere once their lease ran out.")
            .build();

    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.builder("worker.heartbeat_interval",
                    SettingType.duration(false))
            .flag("--heartbeat-interval", "DURATION")
            .derived(LEASE, "worker.lease / 3", values -> WorkerConfig.heartbeatFor(values.get(LEASE)))
            .description("How often a worker extends the leases of the steps it runs; shorter than the lease.")
            .build();

    public static final Setting<DeploymentMode> DEPLOYMENT_MODE = Setting.builder("worker.deployment_mode",
                    SettingType.choice(DeploymentMode.class))
            .flag("--deployment-mode", "MODE").defaultValue(DeploymentMode.HYBRID)
            .description("How a worker learns of ready steps: polling, event_driven (LISTEN/NOTIFY) or hybrid "
                    + "(both; polling catches a notification lost).")
            .build();

    public static final Setting<Duration> POLL_INTERVAL = Setting.builder("worker.poll_interval",
                    SettingType.duration(false))
            .flag("--poll-interval", "DURATION").defaultValue(WorkerConfig.DEFAULT_POLL_INTERVAL)
            .description("How long an idle worker waits before it claims without a notification (polling and "
                    + "hybrid modes).")
            .build();

    public static final Setting<Duration> MAX_POLL_INTERVAL = Setting.builder("worker.max_poll_interval",
                    SettingType.duration(false))
            .flag("--max-poll-interval", "DURATION")
            .derived(POLL_INTERVAL, "worker.poll_interval", values -> values.get(POLL_INTERVAL))
            .description("The longest that wait grows to: each claim that finds nothing doubles it, a claim that "
                    + "finds work sets it back. Longer polls less when idle; a step nothing announced may wait "
                    + "that long.")
            .build();

    public static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.builder("worker.shutdown_timeout",
                    SettingType.duration(true))
            .flag("--shutdown-timeout", "DURATION").defaultValue(WorkerConfig.DEFAULT_SHUTDOWN_TIMEOUT)
            .description("On Ctrl-C or SIGTERM, how long steps in flight may still run to finish; those not done "
                    + "by then are released to run again elsewhere, no attempt counted.")
            .build();

    public static final Setting<Duration> CANCEL_GRACE = Setting.builder("worker.cancel_grace",
                    SettingType.duration(false))
            .flag("--cancel-grace", "DURATION").defaultValue(WorkerConfig.DEFAULT_CANCEL_GRACE)
            .description("How long a handler may take to stop once its step is cancelled (timed out, claim lost) "
                    + "before its thread counts as stuck and a new one takes its slot.")
            .build();

    public static final Setting<List<String>> NAMESPACES = Setting.builder("worker.namespaces",
                    SettingType.list(SettingType.text(), ",", "namespaces"))
            .flag("--namespace", "NS")
            .none("every namespace with a registered template that has a step the handlers here run")
            .description("The namespaces whose steps a worker claims.")
            .build();

    public static final Setting<Duration> RETRY_POLL_INTERVAL = Setting.builder("orchestrator.retry_poll_interval",
                    SettingType.duration(false))
            .flag("--retry-poll-interval", "DURATION").defaultValue(ORCHESTRATOR.retryPollInterval())
            .description("How often the orchestrator makes retries that are due claimable.")
            .build();

    public static final Setting<Duration> LEASE_SWEEP_INTERVAL = Setting.builder("orchestrator.lease_sweep_interval",
                    SettingType.duration(false))
            .flag("--lease-sweep-interval", "DURATION").defaultValue(ORCHESTRATOR.leaseSweepInterval())
            .description("How often the orchestrator gives the steps of expired leases (a worker died) to run again.")
            .build();

    public static final Setting<Duration> STALE_TASK_AGE = Setting.builder("orchestrator.stale_task_age",
                    SettingType.duration(false))
            .flag("--stale-task-age", "DURATION").defaultValue(ORCHESTRATOR.staleTaskAge())
            .description("How long an open task may go without progress before it is dead-lettered.")
            .build();

    public static final Setting<Duration> STALE_SWEEP_INTERVAL = Setting.builder("orchestrator.stale_sweep_interval",
                    SettingType.duration(false))
            .flag("--stale-sweep-interval", "DURATION").defaultValue(ORCHESTRATOR.staleSweepInterval())
            .description("How often the orchestrator looks for stuck tasks.")
            .build();

    public static final Setting<Integer> SWEEP_BATCH_SIZE = Setting.builder("orchestrator.batch_size",
                    SettingType.wholeNumber(1))
            .flag("--sweep-batch-size", "N").defaultValue(ORCHESTRATOR.batchSize())
            .description("The most rows one poll or sweep of the orchestrator changes per statement.")
            .build();

    public static final Setting<String> API_HOST = Setting.builder("api.host", SettingType.text())
            .variable("TASKER_HOST").flag("--host", "HOST").defaultValue(ApiServer.DEFAULT_HOST)
            .description("Address the REST API binds to. Without API tokens the API is open and only a loopback "
                    + "address is allowed.")
            .build();

    public static final Setting<Integer> API_PORT = Setting.builder("api.port", SettingType.port())
            .variable("TASKER_PORT").flag("--port", "PORT").defaultValue(8080)
            .description("HTTP port of the REST API; 0 picks a free one.")
            .build();

    public static final Setting<Path> API_TOKENS_FILE = Setting.builder("api.tokens_file", SettingType.path())
            .variable("TASKER_API_TOKENS_FILE").flag("--api-tokens", "FILE")
            .none("an open API, on loopback only")
            .description("Protect the API with the tokens in FILE, one a line: NAME SCOPE sha256:HEX "
                    + "('tasker token create' makes them).")
            .build();

    public static final Setting<List<String>> API_ALLOWED_ORIGINS = Setting.builder("api.allowed_origins",
                    SettingType.list(SettingType.text(), ",", "web origins"))
            .flag("--allow-origin", "ORIGIN")
            .none("only the server's own origin")
            .description("Let web pages of these origins (e.g. https://ops.example.com) call the API.")
            .build();

    public static final Setting<List<String>> API_ALLOWED_HOSTS = Setting.builder("api.allowed_hosts",
                    SettingType.list(SettingType.text(), ",", "host names"))
            .flag("--allow-host", "NAME")
            .none("only the server's own addresses")
            .description("Also answer requests for these host names (the names clients reach the server by, e.g. "
                    + "behind a proxy).")
            .build();

    public static final Setting<LogLevel> LOG_LEVEL = Setting.builder("log.level", SettingType.choice(LogLevel.class))
            .variable("TASKER_LOG_LEVEL").flag("--log-level", "LEVEL")
            .none("as logback.xml says: info")
            .description("The lowest level of Tasker's log lines: error, warn, info, debug or trace. Other "
                    + "libraries log from warn up (error with error).")
            .build();

    public static final Setting<LogFormat> LOG_FORMAT = Setting.builder("log.format",
                    SettingType.choice(LogFormat.class))
            .variable("TASKER_LOG_FORMAT").flag("--log-format", "FORMAT").defaultValue(LogFormat.TEXT)
            .description("text, or json: one JSON object per line, with task_uuid, step_uuid, step_name and "
                    + "worker_id where known.")
            .build();

    public static final Setting<Path> DATA_DIR = Setting.builder("dev.data_dir", SettingType.path())
            .variable("TASKER_DATA_DIR").flag("--data-dir", "DIR").defaultValue(Path.of(".tasker", "postgres"))
            .description("Where tasker dev keeps its embedded PostgreSQL; other commands find its password there.")
            .build();

    public static final Setting<Integer> DATABASE_PORT = Setting.builder("dev.database_port", SettingType.port())
            .variable("TASKER_DB_PORT").flag("--db-port", "PORT").defaultValue(0)
            .description("Port of tasker dev's embedded PostgreSQL; 0 picks a free one.")
            .build();

    public static final Setting<String> ENVIRONMENT = Setting.builder("environment", SettingType.text())
            .variable("TASKER_ENV").flag("--environment", "NAME").defaultValue(TemplateLoader.DEFAULT_ENVIRONMENT)
            .description("The environment whose environments: overrides templates get; workers report it.")
            .build();

    public static final Setting<List<Path>> TEMPLATE_PATH = Setting.builder("templates.path",
                    SettingType.list(SettingType.path(), ":", "template folders"))
            .variable("TASKER_TEMPLATE_PATH").flag("--template-path", "PATH")
            .none("only the --templates folders")
            .description("Folders of templates to register, as tasker-core's template path; read as well as the "
                    + "--templates folders. When set, --ruby-handlers folders are not searched for templates.")
            .build();

    public static final Setting<String> CLIENT_URL = Setting.builder("client.url", SettingType.text())
            .variable("TASKER_URL").flag("--url", "URL").defaultValue(TaskerClientOptions.DEFAULT_URL)
            .description("The Tasker REST API the task, step, dlq and template commands talk to.")
            .build();

    public static final Setting<String> CLIENT_TOKEN = Setting.builder("client.token", SettingType.text())
            .variable("TASKER_TOKEN").flag("--token", "TOKEN").secret()
            .none("for an open API")
            .description("The API token those commands send, as 'Authorization: Bearer TOKEN'.")
            .build();

    /** Every setting, in the order {@code config show} and the docs list them. */
    public static final List<Setting<?>> ALL = List.of(DATABASE_URL, POOL_SIZE, SLOTS, LEASE, HEARTBEAT_INTERVAL,
            DEPLOYMENT_MODE, POLL_INTERVAL, MAX_POLL_INTERVAL, SHUTDOWN_TIMEOUT, CANCEL_GRACE, NAMESPACES,
            RETRY_POLL_INTERVAL, LEASE_SWEEP_INTERVAL, STALE_TASK_AGE, STALE_SWEEP_INTERVAL, SWEEP_BATCH_SIZE,
            API_HOST, API_PORT, API_TOKENS_FILE, API_ALLOWED_ORIGINS, API_ALLOWED_HOSTS, LOG_LEVEL, LOG_FORMAT,
            DATA_DIR, DATABASE_PORT, ENVIRONMENT, TEMPLATE_PATH, CLIENT_URL, CLIENT_TOKEN);

    /** The settings of the commands that run workers. */
    public static final List<Setting<?>> WORKER = List.of(SLOTS, LEASE, HEARTBEAT_INTERVAL, DEPLOYMENT_MODE,
            POLL_INTERVAL, MAX_POLL_INTERVAL, SHUTDOWN_TIMEOUT, CANCEL_GRACE, NAMESPACES);

    /** The settings of the commands that run the orchestrator. */
    public static final List<Setting<?>> ORCHESTRATION = List.of(RETRY_POLL_INTERVAL, LEASE_SWEEP_INTERVAL,
            STALE_TASK_AGE, STALE_SWEEP_INTERVAL, SWEEP_BATCH_SIZE);

    /** The settings of the commands that serve the REST API. */
    public static final List<Setting<?>> API = List.of(API_HOST, API_PORT, API_TOKENS_FILE, API_ALLOWED_ORIGINS,
            API_ALLOWED_HOSTS);

    private Settings() {}

    /**
     * The configuration {@code inputs} give, checked as a whole.
     *
     * @throws ConfigException for a value no setting takes, naming where it came from, or settings
     *                         that cannot go together
     */
    public static Configuration load(Configuration.Inputs inputs) {
        Configuration config = Configuration.load(ALL, inputs);
        if (config.get(HEARTBEAT_INTERVAL).compareTo(config.get(LEASE)) >= 0) {
            throw new ConfigException(both(config, HEARTBEAT_INTERVAL, "must be shorter than", LEASE)
                    + ", or claims expire while their steps run");
        }
        if (config.get(MAX_POLL_INTERVAL).compareTo(config.get(POLL_INTERVAL)) < 0) {
            throw new ConfigException(both(config, MAX_POLL_INTERVAL, "must not be shorter than", POLL_INTERVAL));
        }
        return config;
    }

    /** "--heartbeat-interval (30s) must be shorter than worker.lease (30s, default)". */
    private static String both(Configuration config, Setting<?> first, String relation, Setting<?> second) {
        return config.where(first) + " (" + config.shown(first) + ") " + relation + " " + second.key() + " ("
                + config.shown(second) + ", " + config.source(second).describe() + ")";
    }

    /** The worker settings of {@code config}, its namespaces aside (a node finds those when none are given). */
    public static WorkerConfig.Builder worker(Configuration config) {
        return WorkerConfig.builder()
                .environment(config.get(ENVIRONMENT))
                .maxConcurrentSteps(config.get(SLOTS))
                .lease(config.get(LEASE))
                .heartbeatInterval(config.get(HEARTBEAT_INTERVAL))
                .deploymentMode(config.get(DEPLOYMENT_MODE))
                .pollInterval(config.get(POLL_INTERVAL))
                .maxPollInterval(config.get(MAX_POLL_INTERVAL))
                .shutdownTimeout(config.get(SHUTDOWN_TIMEOUT))
                .cancelGrace(config.get(CANCEL_GRACE));
    }

    public static OrchestratorOptions orchestrator(Configuration config) {
        return new OrchestratorOptions(config.get(RETRY_POLL_INTERVAL), config.get(LEASE_SWEEP_INTERVAL),
                config.get(STALE_TASK_AGE), config.get(STALE_SWEEP_INTERVAL), config.get(SWEEP_BATCH_SIZE));
    }

    /**
     * The connections of the process's pool: as set, else derived from the slots for a process that
     * runs a worker, else {@link #SERVER_POOL_SIZE}.
     */
    public static int poolSize(Configuration config, boolean runsWorker) {
        return runsWorker || config.given(POOL_SIZE) ? config.get(POOL_SIZE) : SERVER_POOL_SIZE;
    }
}
