package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.core.db.DatabaseUrl;
import io.tasker.ruby.RubyRuntime;
import io.tasker.worker.WorkerBootstrap;
import io.tasker.worker.WorkerConfig;
import io.tasker.worker.WorkerSystemHandle;
import org.jruby.Ruby;
import org.jruby.RubyArray;
import org.jruby.RubyHash;
import org.jruby.exceptions.RaiseException;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.jruby.api.Convert.asBoolean;
import static org.jruby.api.Convert.asFixnum;
import static org.jruby.api.Convert.asFloat;
import static org.jruby.api.Convert.asSymbol;
import static org.jruby.api.Create.newArray;
import static org.jruby.api.Create.newHash;
import static org.jruby.api.Create.newString;

/**
 * A node's Ruby worker: {@code TaskerCore::Worker::Bootstrap}, started the way a Ruby program
 * starts it, so the Ruby layer (handler registry, event bridge, step subscriber) comes up and goes
 * down in its own order. It is a worker of its own beside the node's Java one, with its own claims,
 * handler threads and connections; there can be one per JVM.
 *
 * <p>The node, not Ruby, owns the process: signals are left to the command, and the worker is
 * stopped with the node, before the database it uses.
 */
final class RubyWorker implements TaskerNode.NodeWorker {
    /** SLF4J's name for the Ruby layer's log, under {@code io.tasker} so it follows the same settings. */
    private static final String LOGGER = "io.tasker.ruby.TaskerCore";

    private final IRubyObject bootstrap;
    /** The Java foundation the Ruby layer started, for the node's shared shutdown deadline. */
    private final WorkerSystemHandle foundation;

    private RubyWorker(IRubyObject bootstrap, WorkerSystemHandle foundation) {
        this.bootstrap = bootstrap;
        this.foundation = foundation;
    }

    /** The callables the Ruby handler registry runs, with every loaded handler class registered first. */
    static Set<String> callables() {
        Ruby ruby = RubyRuntime.get();
        ThreadContext context = ruby.getCurrentContext();
        IRubyObject registry = ruby.evalScriptlet("TaskerCore::Registry::HandlerRegistry.instance");
        registry.callMethod(context, "bootstrap_handlers!");
        RubyArray<?> keys = ((RubyHash) registry.callMethod(context, "handlers")).keys(context);
        Set<String> callables = new LinkedHashSet<>();
        for (Object key : keys) {
            callables.add(key.toString());
        }
        return callables;
    }

    /**
     * Starts the Ruby worker on {@code database} with the namespaces and settings of
     * {@code settings}; its worker id is its own.
     *
     * @throws TaskerException when a Ruby worker already runs in this JVM, or it cannot start
     */
    static RubyWorker start(DatabaseUrl database, WorkerConfig settings) {
        Ruby ruby = RubyRuntime.get();
        ThreadContext context = ruby.getCurrentContext();
        logThroughSlf4j();
        IRubyObject bootstrap = ruby.evalScriptlet("TaskerCore::Worker::Bootstrap.instance");
        if (bootstrap.callMethod(context, "running?").isTrue()) {
            throw new TaskerException("cannot start the Ruby worker: one already runs in this process, "
                    + "and there can be only one per JVM");
        }
        try {
            bootstrap.callMethod(context, "start!", config(context, database, settings));
        } catch (RaiseException e) {
            throw new TaskerException("cannot start the Ruby worker: " + e.getException().message(context).asJavaString(),
                    e);
        }
        WorkerSystemHandle foundation = WorkerBootstrap.running().stream()
                .filter(worker -> worker.workerId().equals(settings.workerId())).findFirst()
                .orElseThrow(() -> new TaskerException("the Ruby worker started without its foundation"));
        return new RubyWorker(bootstrap, foundation);
    }

    /**
     * Sends the Ruby layer's log ({@code TaskerCore.logger}) through SLF4J, at the level SLF4J has
     * for it now; the commands set their log level before they load any Ruby. Done once.
     */
    static void logThroughSlf4j() {
        RubyRuntime.require("tasker_core/slf4j_logger");
        RubyRuntime.eval("TaskerCore.logger = TaskerCore::Slf4jLogger.new('" + LOGGER + "') "
                + "unless TaskerCore.logger.is_a?(TaskerCore::Slf4jLogger)");
    }

    private static RubyHash config(ThreadContext context, DatabaseUrl database, WorkerConfig settings) {
        RubyHash config = newHash(context);
        config.op_aset(context, asSymbol(context, "worker_id"), newString(context, settings.workerId()));
        config.op_aset(context, asSymbol(context, "database_url"), newString(context, connectionString(database)));
        config.op_aset(context, asSymbol(context, "namespaces"),
                newArray(context, settings.namespaces().stream().map(ns -> (IRubyObject) newString(context, ns)).toList()));
        config.op_aset(context, asSymbol(context, "environment"), newString(context, settings.environment()));
        config.op_aset(context, asSymbol(context, "deployment_mode"), newString(context, settings.deploymentMode().name()));
        config.op_aset(context, asSymbol(context, "max_concurrent_steps"), asFixnum(context, settings.maxConcurrentSteps()));
        config.op_aset(context, asSymbol(context, "lease_seconds"), seconds(context, settings.lease()));
        config.op_aset(context, asSymbol(context, "heartbeat_interval_seconds"),
                seconds(context, settings.heartbeatInterval()));
        config.op_aset(context, asSymbol(context, "poll_interval_seconds"), seconds(context, settings.pollInterval()));
        config.op_aset(context, asSymbol(context, "max_poll_interval_seconds"),
                seconds(context, settings.maxPollInterval()));
        config.op_aset(context, asSymbol(context, "shutdown_timeout_seconds"), seconds(context, settings.shutdownTimeout()));
        config.op_aset(context, asSymbol(context, "cancel_grace_seconds"), seconds(context, settings.cancelGrace()));
        config.op_aset(context, asSymbol(context, "trap_signals"), asBoolean(context, false));
        return config;
    }

    private static IRubyObject seconds(ThreadContext context, Duration duration) {
        return asFloat(context, duration.toNanos() / 1e9);
    }

    /**
     * The database as one String, which the bridge opens a pool of its own on: the JDBC URL with
     * the user and password as parameters, which the driver decodes.
     */
    private static String connectionString(DatabaseUrl database) {
        StringBuilder url = new StringBuilder(database.jdbcUrl());
        char separator = database.jdbcUrl().contains("?") ? '&' : '?';
        if (database.user() != null) {
            url.append(separator).append("user=").append(URLEncoder.encode(database.user(), StandardCharsets.UTF_8));
            separator = '&';
        }
        if (database.password() != null) {
            url.append(separator).append("password=")
                    .append(URLEncoder.encode(database.password(), StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    @Override
    public void beginShutdown() {
        foundation.transitionToGracefulShutdown();
    }

    @Override
    public int inFlightSteps() {
        return foundation.inFlightSteps();
    }

    @Override
    public Duration shutdownTimeout() {
        return foundation.config().shutdownTimeout();
    }

    /**
     * Stops the way {@code Bootstrap.shutdown!} does: stop claiming, let running steps finish until
     * the deadline that {@link #beginShutdown} set, then stop.
     */
    @Override
    public void close() {
        ThreadContext context = RubyRuntime.get().getCurrentContext();
        bootstrap.callMethod(context, "shutdown!");
    }
}
