package io.tasker.ruby.internal;

import io.tasker.ruby.RubyBridgeException;
import io.tasker.worker.DeploymentMode;
import org.jruby.RubyArray;
import org.jruby.RubyBoolean;
import org.jruby.RubyFloat;
import org.jruby.RubyHash;
import org.jruby.RubyInteger;
import org.jruby.RubyNumeric;
import org.jruby.RubyString;
import org.jruby.RubySymbol;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The Hash given to {@code TaskerCore::FFI.bootstrap_worker}, checked and typed. Keys may be
 * Symbols or Strings. Every problem is reported at once, each naming its key; an unknown key is
 * a problem too, so a typo cannot silently fall back to a default.
 *
 * <p>Unset values are null and take the worker's defaults, except {@code workerId}
 * ({@code ruby-worker-<uuid>}), {@code environment} and {@code databaseUrl}, which default to the
 * Ruby process's {@code TASKER_ENV} and {@code TASKER_DATABASE_URL}. Unset {@code namespaces}
 * (null, unlike an empty list) are found when the worker starts: see {@link RubyBridgeHandle}.
 */
public record BootstrapOptions(
        String workerId,
        String environment,
        boolean webApiEnabled,
        DeploymentMode deploymentMode,
        List<String> namespaces,
        Integer maxConcurrentSteps,
        Duration lease,
        Duration heartbeatInterval,
        Duration pollInterval,
        Duration maxPollInterval,
        Duration shutdownTimeout,
        Duration cancelGrace,
        String databaseUrl,
        Integer databasePoolSize,
        List<String> templatePaths) {

    /** Every key bootstrap_worker knows, with what it takes. */
    static final Map<String, String> KEYS = keys();

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("worker_id", "a non-empty String");
        keys.put("environment", "a non-empty String");
        keys.put("enable_web_api", "true or false");
        keys.put("event_driven_enabled", "true or false");
        keys.put("deployment_mode", "'Polling', 'EventDriven' or 'Hybrid'");
        keys.put("namespaces", "an Array of Strings");
        keys.put("max_concurrent_steps", "a positive Integer");
        keys.put("lease_seconds", "a positive number of seconds");
        keys.put("heartbeat_interval_seconds", "a positive number of seconds");
        keys.put("poll_interval_seconds", "a positive number of seconds");
        keys.put("max_poll_interval_seconds", "a positive number of seconds");
        keys.put("shutdown_timeout_seconds", "a number of seconds, 0 or more");
        keys.put("cancel_grace_seconds", "a positive number of seconds");
        keys.put("database_url", "a postgresql:// URL String");
        keys.put("database_pool_size", "a positive Integer");
        keys.put("template_paths", "an Array of template file or folder paths");
        return Collections.unmodifiableMap(keys);
    }

    /** Thrown with every problem of a config Hash; an {@code ArgumentError} in Ruby. */
    public static final class InvalidOptionsException extends RubyBridgeException {
        InvalidOptionsException(List<String> problems) {
            super("invalid bootstrap_worker config: " + String.join("; ", problems));
        }
    }

    /**
     * Reads {@code config}; {@code env} is the Ruby process's {@code ENV} for the defaults.
     *
     * @throws InvalidOptionsException naming every problem
     */
    public static BootstrapOptions parse(ThreadContext context, IRubyObject config, Map<String, String> env) {
        Reader r = new Reader(context);
        if (!config.isNil() && !(config instanceof RubyHash)) {
            throw new InvalidOptionsException(List.of("config must be a Hash, got a "
                    + config.getMetaClass().getRealClass().getName(context)));
        }
        if (config instanceof RubyHash hash) {
            hash.visitAll(context, new RubyHash.VisitorWithState<Void>() {
                @Override
                public void visit(ThreadContext c, RubyHash h, IRubyObject key, IRubyObject value, int index, Void s) {
                    r.add(key, value);
                }
            }, null);
        }

        String workerId = r.string("worker_id");
        String environment = r.string("environment");
        Boolean webApi = r.bool("enable_web_api");
        Boolean eventDriven = r.bool("event_driven_enabled");
        DeploymentMode mode = r.deploymentMode();
        List<String> namespaces = r.strings("namespaces");
        Integer maxConcurrentSteps = r.positiveInteger("max_concurrent_steps");
        Duration lease = r.seconds("lease_seconds", false);
        Duration heartbeatInterval = r.seconds("heartbeat_interval_seconds", false);
        Duration pollInterval = r.seconds("poll_interval_seconds", false);
        Duration maxPollInterval = r.seconds("max_poll_interval_seconds", false);
        Duration shutdownTimeout = r.seconds("shutdown_timeout_seconds", true);
        Duration cancelGrace = r.seconds("cancel_grace_seconds", false);
        String databaseUrl = r.string("database_url");
        Integer poolSize = r.positiveInteger("database_pool_size");
        List<String> templatePaths = r.strings("template_paths");

        // event_driven_enabled: false means "no LISTEN/NOTIFY": Hybrid falls back to polling.
        if (Boolean.FALSE.equals(eventDriven)) {
            if (mode == DeploymentMode.EVENT_DRIVEN) {
                r.problems.add("event_driven_enabled: false contradicts deployment_mode 'EventDriven'");
            } else {
                mode = DeploymentMode.POLLING;
            }
        }
        if (databaseUrl == null) {
            databaseUrl = blankToNull(env.get("TASKER_DATABASE_URL"));
            if (databaseUrl == null) {
                r.problems.add("database_url is required (or set TASKER_DATABASE_URL)");
            }
        }
        if (!r.problems.isEmpty()) {
            throw new InvalidOptionsException(r.problems);
        }
        if (environment == null) {
            environment = blankToNull(env.get("TASKER_ENV"));
        }
        return new BootstrapOptions(
                workerId != null ? workerId : "ruby-worker-" + UUID.randomUUID(),
                environment != null ? environment : "development",
                Boolean.TRUE.equals(webApi),
                mode != null ? mode : DeploymentMode.HYBRID,
                namespaces,
                maxConcurrentSteps, lease, heartbeatInterval, pollInterval, maxPollInterval, shutdownTimeout,
                cancelGrace, databaseUrl, poolSize,
                templatePaths != null ? templatePaths : List.of());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Collects the config's values by key name and the problems found reading them. */
    private static final class Reader {
        private final ThreadContext context;
        private final Map<String, IRubyObject> values = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        Reader(ThreadContext context) {
            this.context = context;
        }

        void add(IRubyObject key, IRubyObject value) {
            String name = key instanceof RubySymbol s ? s.idString()
                    : key instanceof RubyString s ? s.asJavaString() : null;
            if (name == null || !KEYS.containsKey(name)) {
                problems.add("unknown key " + key.inspect(context) + " (known: " + String.join(", ", KEYS.keySet()) + ")");
            } else if (values.put(name, value) != null) {
                problems.add("key " + name + " is given twice (as a Symbol and as a String)");
            }
        }

        private IRubyObject value(String key) {
            IRubyObject value = values.get(key);
            return value == null || value.isNil() ? null : value;
        }

        private <T> T wrong(String key, IRubyObject value) {
            problems.add(key + " must be " + KEYS.get(key) + ", got " + value.inspect(context));
            return null;
        }

        String string(String key) {
            IRubyObject v = value(key);
            if (v == null) {
                return null;
            }
            if (v instanceof RubyString s && !s.asJavaString().isBlank()) {
                return s.asJavaString();
            }
            return wrong(key, v);
        }

        Boolean bool(String key) {
            IRubyObject v = value(key);
            if (v == null) {
                return null;
            }
            return v instanceof RubyBoolean ? v.isTrue() : wrong(key, v);
        }

        Integer positiveInteger(String key) {
            IRubyObject v = value(key);
            if (v == null) {
                return null;
            }
            if (v instanceof RubyInteger i && i.asBigInteger(context).bitLength() < 32 && i.asInt(context) > 0) {
                return i.asInt(context);
            }
            return wrong(key, v);
        }

        Duration seconds(String key, boolean zeroAllowed) {
            IRubyObject v = value(key);
            if (v == null) {
                return null;
            }
            if (v instanceof RubyInteger || v instanceof RubyFloat) {
                double seconds = ((RubyNumeric) v).asDouble(context);
                if ((seconds > 0 || zeroAllowed && seconds == 0) && seconds < 1e9) {
                    return Duration.ofNanos(Math.round(seconds * 1e9));
                }
            }
            return wrong(key, v);
        }

        List<String> strings(String key) {
            IRubyObject v = value(key);
            if (v == null) {
                return null;
            }
            if (v instanceof RubyArray<?> array) {
                List<String> out = new ArrayList<>(array.size());
                for (int i = 0; i < array.size(); i++) {
                    if (!(array.eltInternal(i) instanceof RubyString s) || s.asJavaString().isBlank()) {
                        return wrong(key, v);
                    }
                    out.add(s.asJavaString());
                }
                return List.copyOf(out);
            }
            return wrong(key, v);
        }

        DeploymentMode deploymentMode() {
            IRubyObject v = value("deployment_mode");
            if (v == null) {
                return null;
            }
            String name = v instanceof RubyString s ? s.asJavaString() : v instanceof RubySymbol s ? s.idString() : "";
            return switch (name.replace("_", "").toLowerCase(Locale.ROOT)) {
                case "polling" -> DeploymentMode.POLLING;
                case "eventdriven" -> DeploymentMode.EVENT_DRIVEN;
                case "hybrid" -> DeploymentMode.HYBRID;
                default -> wrong("deployment_mode", v);
            };
        }
    }
}
