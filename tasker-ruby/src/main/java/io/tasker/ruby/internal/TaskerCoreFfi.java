package io.tasker.ruby.internal;

import io.tasker.core.db.DatabaseException;
import io.tasker.ruby.RubyBridgeException;
import io.tasker.worker.StepExecutionCompletionEvent;
import org.jruby.Ruby;
import org.jruby.RubyHash;
import org.jruby.RubyModule;
import org.jruby.anno.JRubyMethod;
import org.jruby.anno.JRubyModule;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

import static org.jruby.api.Convert.asBoolean;
import static org.jruby.api.Convert.asSymbol;
import static org.jruby.api.Create.newHash;
import static org.jruby.api.Create.newString;
import static org.jruby.api.Define.defineModule;
import static org.jruby.api.Error.argumentError;
import static org.jruby.api.Error.runtimeError;

/**
 * {@code TaskerCore::FFI}: the design note's five bridge functions, defined in Java as Ruby
 * module functions.
 *
 * <p>One worker per JVM, as in the note: the running {@link RubyBridgeHandle} is held here.
 * Starting and stopping are serialized; status and completions read the handle without the lock,
 * because a stopping worker waits for its running steps, and those answer through
 * {@code send_step_completion_event}.
 *
 * <p>Errors: bad arguments raise {@code ArgumentError} (naming the key or field), everything else
 * {@code RuntimeError} with the cause's message.
 */
@JRubyModule(name = "TaskerCore::FFI")
public final class TaskerCoreFfi {
    private static final Logger log = LoggerFactory.getLogger(TaskerCoreFfi.class);
    private static final Object LIFECYCLE = new Object();
    private static final String NOT_INITIALIZED = "Worker system not initialized";

    private static volatile RubyBridgeHandle bridge;

    private TaskerCoreFfi() {}

    /** Defines {@code TaskerCore::FFI} in {@code runtime}; calling it again changes nothing. */
    public static void define(Ruby runtime) {
        ThreadContext context = runtime.getCurrentContext();
        RubyModule taskerCore = defineModule(context, "TaskerCore");
        if (taskerCore.getConstantAt(context, "FFI") != null) {
            return;
        }
        RubyModule ffi = taskerCore.defineModuleUnder(context, "FFI");
        ffi.defineMethods(context, TaskerCoreFfi.class);
    }

    /** The running worker, for Java code that embeds the Ruby worker; null when none runs. */
    public static RubyBridgeHandle runningBridge() {
        return bridge;
    }

    /**
     * Starts the worker. Returns a message String.
     *
     * @see BootstrapOptions for the keys
     */
    @JRubyMethod(name = "bootstrap_worker", module = true)
    public static IRubyObject bootstrapWorker(ThreadContext context, IRubyObject self, IRubyObject config) {
        synchronized (LIFECYCLE) {
            RubyBridgeHandle current = bridge;
            if (current != null && current.isRunning()) {
                throw runtimeError(context, "Worker system already running as " + current.config().workerId()
                        + "; call TaskerCore::FFI.stop_worker first");
            }
            if (current != null) {
                // It stopped without stop_worker; release what it still holds.
                closeQuietly(current);
                bridge = null;
            }
            BootstrapOptions options;
            try {
                options = BootstrapOptions.parse(context, config, rubyEnv(context));
            } catch (BootstrapOptions.InvalidOptionsException e) {
                throw argumentError(context, e.getMessage());
            }
            try {
                bridge = RubyBridgeHandle.start(context.runtime, options);
            } catch (IllegalArgumentException | RubyBridgeException e) {
                throw argumentError(context, e.getMessage());
            } catch (DatabaseException e) {
                throw runtimeError(context, "Worker bootstrap failed: " + e.getMessage());
            }
            log.info("Ruby worker {} started", options.workerId());
            return newString(context, "Ruby worker system started successfully as " + options.workerId());
        }
    }

    /** Stops the worker, waiting for running steps up to its shutdown timeout. Returns a message String. */
    @JRubyMethod(name = "stop_worker", module = true)
    public static IRubyObject stopWorker(ThreadContext context, IRubyObject self) {
        synchronized (LIFECYCLE) {
            RubyBridgeHandle current = bridge;
            if (current == null) {
                return newString(context, "Worker system not running");
            }
            try {
                current.close();
            } catch (RuntimeException e) {
                throw runtimeError(context, "Failed to stop the worker: " + e.getMessage());
            } finally {
                bridge = null;
            }
            return newString(context, "Worker system stopped");
        }
    }

    /** The note's status Hash, or {@code {running: false, error: ...}} when no worker runs. */
    @JRubyMethod(name = "worker_status", module = true)
    public static IRubyObject workerStatus(ThreadContext context, IRubyObject self) {
        RubyBridgeHandle current = bridge;
        if (current == null) {
            RubyHash hash = newHash(context);
            hash.op_aset(context, asSymbol(context, "running"), asBoolean(context, false));
            hash.op_aset(context, asSymbol(context, "error"), newString(context, NOT_INITIALIZED));
            return hash;
        }
        return RubyConversions.toRuby(context, current.status());
    }

    /**
     * Stops claiming steps and waits (until the worker's shutdown timeout from the first call) for
     * the steps in flight to finish. Returns a message String; raises when no worker runs.
     */
    @JRubyMethod(name = "transition_to_graceful_shutdown", module = true)
    public static IRubyObject transitionToGracefulShutdown(ThreadContext context, IRubyObject self) {
        RubyBridgeHandle current = bridge;
        if (current == null) {
            throw runtimeError(context, "Worker system not running");
        }
        // A handler stopping its own worker must not wait for itself.
        boolean drained = current.transitionToGracefulShutdown(!current.eventHandler().onHandlerThread());
        return newString(context, drained ? "Worker system in graceful shutdown; no steps running"
                : "Worker system in graceful shutdown; " + current.inFlightSteps() + " steps still running");
    }

    /**
     * Hands a step's completion to the foundation. Returns true when it was taken, false when
     * nothing waited for it (unknown, repeated or withdrawn event). A result that is not JSON is
     * sent as a failure naming the offending path.
     */
    @JRubyMethod(name = "send_step_completion_event", module = true)
    public static IRubyObject sendStepCompletionEvent(ThreadContext context, IRubyObject self, IRubyObject completion) {
        StepExecutionCompletionEvent event;
        try {
            event = RubyConversions.toCompletion(context, completion);
        } catch (InvalidCompletionException e) {
            throw argumentError(context, e.getMessage());
        }
        RubyBridgeHandle current = bridge;
        if (current == null) {
            throw runtimeError(context, NOT_INITIALIZED);
        }
        return asBoolean(context, current.eventHandler().complete(event));
    }

    private static Map<String, String> rubyEnv(ThreadContext context) {
        IRubyObject env = context.runtime.getObject().getConstant(context, "ENV");
        Map<String, String> values = new HashMap<>();
        for (String name : new String[] {"TASKER_DATABASE_URL", "TASKER_ENV"}) {
            IRubyObject value = env.callMethod(context, "[]", newString(context, name));
            if (!value.isNil()) {
                values.put(name, value.asJavaString());
            }
        }
        return values;
    }

    private static void closeQuietly(RubyBridgeHandle handle) {
        try {
            handle.close();
        } catch (RuntimeException e) {
            log.warn("closing a stopped Ruby worker failed: {}", e.getMessage());
        }
    }
}
