package io.tasker.ruby.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RetryPolicy;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.TaskSequenceStep;
import io.tasker.worker.WorkerSystemStatus;
import org.jcodings.specific.ASCIIEncoding;
import org.jruby.RubyArray;
import org.jruby.RubyBignum;
import org.jruby.RubyBoolean;
import org.jruby.RubyClass;
import org.jruby.RubyFixnum;
import org.jruby.RubyFloat;
import org.jruby.RubyHash;
import org.jruby.RubyInteger;
import org.jruby.RubyModule;
import org.jruby.RubyNumeric;
import org.jruby.RubyString;
import org.jruby.RubySymbol;
import org.jruby.ext.bigdecimal.RubyBigDecimal;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;
import org.jruby.util.StringSupport;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.jruby.api.Convert.asBoolean;
import static org.jruby.api.Convert.asFixnum;
import static org.jruby.api.Convert.asFloat;
import static org.jruby.api.Convert.asSymbol;
import static org.jruby.api.Create.newArray;
import static org.jruby.api.Create.newHash;
import static org.jruby.api.Create.newString;

/**
 * Every conversion across the Java/Ruby boundary, in one place.
 *
 * <p>User data (task context, handler initialization, step results) is JSON: it becomes Ruby
 * Hashes with String keys ({@code TaskerCore::IndifferentHash}es, which Symbols read too, once the
 * Ruby layer is loaded), and comes back only if it is JSON again. Integers stay exact both ways (a
 * Bignum is a {@code BigInteger}), JSON decimals become {@code BigDecimal} so money survives the
 * round trip, and floats stay floats. Coming back, Symbols (keys and values) become Strings, as
 * JSON generators write them; anything else JSON cannot carry exactly is refused with the path of
 * the offending value: NaN and Infinity, arbitrary objects, two keys that name the same field
 * ({@code :id} and {@code "id"}), and nesting deeper than {@link #MAX_DEPTH} (which also catches
 * cycles).
 *
 * <p>Event-level data (the execution event, the completion, the worker status) uses Symbol keys,
 * as the design note's Ruby layer does.
 */
public final class RubyConversions {
    /** The deepest nesting a Ruby value may have to become JSON. */
    public static final int MAX_DEPTH = 64;

    /** The error type of a step whose handler produced something that is not JSON. */
    public static final String INVALID_RESULT = "InvalidResult";

    /** The keys a completion hash may carry; the first four are required. */
    static final List<String> REQUIRED_COMPLETION_FIELDS = List.of("event_id", "task_uuid", "step_uuid", "success");

    private static final List<String> OPTIONAL_COMPLETION_FIELDS = List.of(
            "result", "metadata", "error_message", "error_type", "retryable", "retry_after", "error_details",
            "completed_at", "checkpoint");

    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private RubyConversions() {}

    // JSON to Ruby

    /** A JSON value as the Ruby value a handler sees; null and missing become nil. */
    public static IRubyObject toRuby(ThreadContext context, JsonNode node) {
        return toRuby(context, node, userDataHashClass(context));
    }

    private static IRubyObject toRuby(ThreadContext context, JsonNode node, RubyClass hashClass) {
        if (node == null) {
            return context.nil;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> {
                RubyHash hash = new RubyHash(context.runtime, hashClass);
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    hash.op_aset(context, newString(context, field.getKey()),
                            toRuby(context, field.getValue(), hashClass));
                }
                yield hash;
            }
            case ARRAY -> {
                List<IRubyObject> items = new ArrayList<>(node.size());
                for (JsonNode item : node) {
                    items.add(toRuby(context, item, hashClass));
                }
                yield newArray(context, items);
            }
            case STRING -> newString(context, node.textValue());
            case NUMBER -> number(context, node);
            case BOOLEAN -> asBoolean(context, node.booleanValue());
            case NULL, MISSING -> context.nil;
            case BINARY, POJO -> newString(context, node.asText());
        };
    }

    /**
     * The Hash class of user data: {@code TaskerCore::IndifferentHash} when the Ruby layer defines
     * it, else Hash. Looked up once per conversion, not per Hash.
     */
    private static RubyClass userDataHashClass(ThreadContext context) {
        RubyModule taskerCore = context.runtime.getModule("TaskerCore");
        IRubyObject indifferent = taskerCore == null ? null : taskerCore.getConstantAt(context, "IndifferentHash");
        return indifferent instanceof RubyClass c ? c : context.runtime.getHash();
    }

    private static IRubyObject number(ThreadContext context, JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong()
                    ? asFixnum(context, node.longValue())
                    : RubyBignum.bignorm(context.runtime, node.bigIntegerValue());
        }
        if (node.isBigDecimal()) {
            return new RubyBigDecimal(context.runtime, node.decimalValue());
        }
        return asFloat(context, node.doubleValue());
    }

    /** A list of strings as a Ruby Array of Strings. */
    static IRubyObject toRuby(ThreadContext context, Collection<String> strings) {
        List<IRubyObject> items = new ArrayList<>(strings.size());
        for (String s : strings) {
            items.add(newString(context, s));
        }
        return newArray(context, items);
    }

    // Ruby to JSON

    /**
     * A Ruby value as JSON, refusing anything that is not exactly JSON.
     *
     * @param name what the value is, for messages: {@code result} gives paths like {@code result.items[2]}
     * @throws NotJsonException naming the path of the first value that cannot be converted
     */
    public static JsonNode toJson(ThreadContext context, IRubyObject value, String name) {
        return toJson(context, value, new Path(null, name, -1), 0);
    }

    private static JsonNode toJson(ThreadContext context, IRubyObject value, Path path, int depth) {
        if (value.isNil()) {
            return NODES.nullNode();
        }
        if (value instanceof RubyBoolean) {
            return NODES.booleanNode(value.isTrue());
        }
        if (value instanceof RubyString string) {
            return NODES.textNode(javaString(string, path));
        }
        if (value instanceof RubyFixnum fixnum) {
            return NODES.numberNode(fixnum.getValue());
        }
        if (value instanceof RubyBignum bignum) {
            return NODES.numberNode(bignum.getValue());
        }
        if (value instanceof RubyFloat f) {
            double d = f.getValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NotJsonException(path.render(), "Float " + f.inspect(context) + " is not a JSON number");
            }
            return NODES.numberNode(d);
        }
        if (value instanceof RubyBigDecimal decimal) {
            if (!decimal.callMethod(context, "finite?").isTrue()) {
                throw new NotJsonException(path.render(),
                        "BigDecimal " + decimal.callMethod(context, "to_s") + " is not a JSON number");
            }
            return NODES.numberNode(decimal.getValue());
        }
        if (value instanceof RubySymbol symbol) {
            return NODES.textNode(javaString(symbol.fstring(), path));
        }
        if (depth >= MAX_DEPTH) {
            throw new NotJsonException(path.render(),
                    "nested deeper than " + MAX_DEPTH + " levels (is the structure cyclic?)");
        }
        if (value instanceof RubyHash hash) {
            ObjectNode object = NODES.objectNode();
            hash.visitAll(context, new RubyHash.VisitorWithState<ObjectNode>() {
                @Override
                public void visit(ThreadContext c, RubyHash h, IRubyObject key, IRubyObject v, int index, ObjectNode out) {
                    RubyString k = key instanceof RubySymbol symbol ? symbol.fstring()
                            : key instanceof RubyString string ? string : null;
                    if (k == null) {
                        String shown = key.inspect(c).toString();
                        throw new NotJsonException(path.render(), "key " + shown + " is a "
                                + key.getMetaClass().getRealClass().getName(c)
                                + "; JSON object keys must be Strings (or Symbols)");
                    }
                    String field = javaString(k, path);
                    if (out.has(field)) {
                        throw new NotJsonException(path.render(), "keys :" + field + " and \"" + field
                                + "\" name the same field; keep one");
                    }
                    out.set(field, toJson(c, v, new Path(path, field, -1), depth + 1));
                }
            }, object);
            return object;
        }
        if (value instanceof RubyArray<?> array) {
            ArrayNode out = NODES.arrayNode(array.size());
            for (int i = 0; i < array.size(); i++) {
                out.add(toJson(context, array.eltInternal(i), new Path(path, null, i), depth + 1));
            }
            return out;
        }
        String type = value.getMetaClass().getRealClass().getName(context);
        String hint = switch (type) {
            case "Time", "Date", "DateTime" -> "; convert it to a String (for example with iso8601)";
            case "Rational", "Complex" -> "; convert it to a BigDecimal, Float or Integer";
            default -> "";
        };
        throw new NotJsonException(path.render(), "a " + type + " is not a JSON value" + hint);
    }

    private static String javaString(RubyString string, Path path) {
        if (string.scanForCodeRange() == StringSupport.CR_BROKEN) {
            throw new NotJsonException(path.render(), "String is not valid " + string.getEncoding() + " text");
        }
        if (string.getEncoding() == ASCIIEncoding.INSTANCE && !string.isAsciiOnly()) {
            throw new NotJsonException(path.render(),
                    "binary String (ASCII-8BIT) is not text; force_encoding('UTF-8') or Base64-encode it");
        }
        return string.asJavaString();
    }

    /** Where a value sits, rendered only when a message needs it so the happy path allocates little. */
    private record Path(Path parent, String key, int index) {
        String render() {
            StringBuilder out = new StringBuilder();
            append(out);
            return out.toString();
        }

        private void append(StringBuilder out) {
            if (parent == null) {
                out.append(key);
                return;
            }
            parent.append(out);
            if (key == null) {
                out.append('[').append(index).append(']');
            } else if (key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                out.append('.').append(key);
            } else {
                out.append("[\"").append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
            }
        }
    }

    // Events, statuses and completions

    /** A step execution event as the Symbol-keyed Hash {@code EventBridge#publish_step_execution} takes. */
    public static RubyHash toRuby(ThreadContext context, StepExecutionEvent event) {
        TaskSequenceStep step = event.taskSequenceStep();
        TaskSequenceStep.StepDefinition definition = step.step();
        RubyClass userData = userDataHashClass(context);

        RubyHash retry = newHash(context);
        RetryPolicy policy = definition.retry();
        if (policy != null) {
            put(context, retry, "retryable", asBoolean(context, policy.retryable()));
            put(context, retry, "max_attempts", asFixnum(context, policy.maxAttempts()));
            put(context, retry, "backoff_base_ms", asFixnum(context, policy.backoffBaseMs()));
            put(context, retry, "max_backoff_ms", asFixnum(context, policy.maxBackoffMs()));
        }

        RubyHash stepDefinition = newHash(context);
        put(context, stepDefinition, "name", newString(context, definition.name()));
        put(context, stepDefinition, "callable", newString(context, definition.callable()));
        put(context, stepDefinition, "initialization", toRuby(context, (JsonNode) definition.initialization(), userData));
        put(context, stepDefinition, "depends_on", toRuby(context, definition.dependsOn()));
        put(context, stepDefinition, "retry", retry);
        put(context, stepDefinition, "timeout_seconds", asFixnum(context, definition.timeoutSeconds()));
        if (definition.method() != null) {
            put(context, stepDefinition, "method", newString(context, definition.method()));
        }

        RubyHash dependencyResults = new RubyHash(context.runtime, userData);
        for (Map.Entry<String, JsonNode> entry : step.dependencyResults().entrySet()) {
            dependencyResults.op_aset(context, newString(context, entry.getKey()),
                    toRuby(context, entry.getValue(), userData));
        }

        RubyHash sequenceStep = newHash(context);
        put(context, sequenceStep, "task_uuid", uuid(context, step.taskUuid()));
        put(context, sequenceStep, "step_uuid", uuid(context, step.stepUuid()));
        put(context, sequenceStep, "namespace", newString(context, step.namespace()));
        put(context, sequenceStep, "task_name", newString(context, step.taskName()));
        put(context, sequenceStep, "task_version", newString(context, step.taskVersion()));
        put(context, sequenceStep, "task_context", toRuby(context, step.taskContext(), userData));
        put(context, sequenceStep, "step_definition", stepDefinition);
        put(context, sequenceStep, "dependency_results", dependencyResults);
        put(context, sequenceStep, "attempt", asFixnum(context, step.attempt()));
        put(context, sequenceStep, "max_attempts", asFixnum(context, step.maxAttempts()));
        put(context, sequenceStep, "inputs", toRuby(context, step.inputs(), userData));
        put(context, sequenceStep, "checkpoint", toRuby(context, step.checkpoint(), userData));

        RubyHash hash = newHash(context);
        put(context, hash, "event_id", uuid(context, event.eventId()));
        put(context, hash, "task_uuid", uuid(context, event.taskUuid()));
        put(context, hash, "step_uuid", uuid(context, event.stepUuid()));
        put(context, hash, "task_sequence_step", sequenceStep);
        return hash;
    }

    /** The worker status with the note's Symbol keys. */
    public static RubyHash toRuby(ThreadContext context, WorkerSystemStatus status) {
        RubyHash hash = newHash(context);
        put(context, hash, "running", asBoolean(context, status.running()));
        put(context, hash, "environment", string(context, status.environment()));
        put(context, hash, "worker_core_status", string(context, status.workerCoreStatus()));
        put(context, hash, "web_api_enabled", asBoolean(context, status.webApiEnabled()));
        put(context, hash, "supported_namespaces", toRuby(context, status.supportedNamespaces()));
        put(context, hash, "database_pool_size", asFixnum(context, status.databasePoolSize()));
        put(context, hash, "database_pool_idle", asFixnum(context, status.databasePoolIdle()));
        return hash;
    }

    /**
     * A completion hash from Ruby as the foundation's completion event.
     *
     * <p>The envelope must be right, or the completion cannot be matched to its step:
     * {@link InvalidCompletionException} (an {@code ArgumentError} in Ruby). The payload is user
     * data: if {@code result}, {@code metadata}, {@code error_details} or a checkpoint's cursor or
     * partial results are not JSON, the step is completed as a permanent failure whose message
     * names the offending path, so bad handler output fails the step instead of losing it. A
     * completion with a {@code checkpoint} is a batch worker's checkpoint (see {@link
     * StepExecutionCompletionEvent#checkpoint}), whatever its {@code success} says.
     */
    public static StepExecutionCompletionEvent toCompletion(ThreadContext context, IRubyObject value) {
        if (!(value instanceof RubyHash hash)) {
            throw new InvalidCompletionException("completion must be a Hash, got a "
                    + value.getMetaClass().getRealClass().getName(context));
        }
        List<String> missing = new ArrayList<>();
        for (String field : REQUIRED_COMPLETION_FIELDS) {
            if (!hash.hasKey(asSymbol(context, field))) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidCompletionException("Missing required fields in completion: " + String.join(", ", missing));
        }
        hash.visitAll(context, new RubyHash.VisitorWithState<Void>() {
            @Override
            public void visit(ThreadContext c, RubyHash h, IRubyObject key, IRubyObject v, int index, Void state) {
                String name = key instanceof RubySymbol symbol ? symbol.idString() : null;
                if (name == null || !(REQUIRED_COMPLETION_FIELDS.contains(name) || OPTIONAL_COMPLETION_FIELDS.contains(name))) {
                    throw new InvalidCompletionException("unknown completion field " + key.inspect(c)
                            + " (known: :" + String.join(", :", REQUIRED_COMPLETION_FIELDS) + ", :"
                            + String.join(", :", OPTIONAL_COMPLETION_FIELDS) + ")");
                }
            }
        }, null);

        UUID eventId = uuidField(context, hash, "event_id");
        UUID taskUuid = uuidField(context, hash, "task_uuid");
        UUID stepUuid = uuidField(context, hash, "step_uuid");
        boolean success = booleanField(context, hash, "success", false);
        boolean retryable = booleanField(context, hash, "retryable", false);
        String errorMessage = stringField(context, hash, "error_message");
        String errorType = stringField(context, hash, "error_type");
        Duration retryAfter = durationField(context, hash, "retry_after");
        Instant completedAt = instantField(context, hash, "completed_at");

        IRubyObject checkpoint = field(context, hash, "checkpoint");
        try {
            if (!checkpoint.isNil()) {
                return toCheckpoint(context, checkpoint, eventId, taskUuid, stepUuid, completedAt);
            }
            JsonNode metadata = optionalJson(context, hash, "metadata");
            if (success) {
                JsonNode result = toJson(context, field(context, hash, "result"), "result");
                return new StepExecutionCompletionEvent(eventId, taskUuid, stepUuid, true, result, metadata, null,
                        null, false, null, null, completedAt);
            }
            JsonNode details = optionalJson(context, hash, "error_details");
            return new StepExecutionCompletionEvent(eventId, taskUuid, stepUuid, false, null, metadata,
                    errorMessage == null ? "the handler reported a failure without a message" : errorMessage,
                    errorType, retryable, retryAfter, details, completedAt);
        } catch (NotJsonException e) {
            String message = "the handler's completion is not JSON: " + e.getMessage();
            if (!success && errorMessage != null) {
                message = errorMessage + " (and " + message + ")";
            }
            ObjectNode details = NODES.objectNode().put("path", e.path()).put("problem", e.problem());
            return new StepExecutionCompletionEvent(eventId, taskUuid, stepUuid, false, null, null, message,
                    INVALID_RESULT, false, null, details, completedAt);
        }
    }

    /**
     * A batch worker's checkpoint, {@code {cursor:, items_processed:, accumulated_results:}}: it
     * saves its progress and runs again. Its cursor and partial results are user data (JSON).
     */
    private static StepExecutionCompletionEvent toCheckpoint(ThreadContext context, IRubyObject value, UUID eventId,
            UUID taskUuid, UUID stepUuid, Instant completedAt) {
        if (!(value instanceof RubyHash checkpoint) || !checkpoint.hasKey(asSymbol(context, "cursor"))) {
            throw new InvalidCompletionException("completion field :checkpoint must be a Hash with :cursor, "
                    + ":items_processed and optionally :accumulated_results, got " + value.inspect(context));
        }
        IRubyObject items = field(context, checkpoint, "items_processed");
        if (!(items instanceof RubyFixnum count) || count.getValue() < 0) {
            throw new InvalidCompletionException("checkpoint :items_processed must be an Integer, 0 or more, got "
                    + items.inspect(context));
        }
        return new StepExecutionCompletionEvent(eventId, taskUuid, stepUuid, false, null, null, null, null, false,
                null, null, completedAt, new StepExecutionCompletionEvent.Checkpoint(
                        toJson(context, field(context, checkpoint, "cursor"), "checkpoint.cursor"), count.getValue(),
                        optionalJson(context, checkpoint, "accumulated_results", "checkpoint.accumulated_results")));
    }

    private static JsonNode optionalJson(ThreadContext context, RubyHash hash, String name, String path) {
        IRubyObject value = field(context, hash, name);
        return value.isNil() ? null : toJson(context, value, path);
    }

    private static JsonNode optionalJson(ThreadContext context, RubyHash hash, String name) {
        return optionalJson(context, hash, name, name);
    }

    private static IRubyObject field(ThreadContext context, RubyHash hash, String name) {
        return hash.op_aref(context, asSymbol(context, name));
    }

    private static UUID uuidField(ThreadContext context, RubyHash hash, String name) {
        IRubyObject value = field(context, hash, name);
        if (value instanceof RubyString s) {
            try {
                return UUID.fromString(s.asJavaString());
            } catch (IllegalArgumentException e) {
                // fall through to the message below
            }
        }
        throw new InvalidCompletionException("completion field :" + name + " must be a UUID String, got "
                + value.inspect(context));
    }

    private static boolean booleanField(ThreadContext context, RubyHash hash, String name, boolean absent) {
        IRubyObject value = field(context, hash, name);
        if (value.isNil() && !REQUIRED_COMPLETION_FIELDS.contains(name)) {
            return absent;
        }
        if (!(value instanceof RubyBoolean)) {
            throw new InvalidCompletionException("completion field :" + name + " must be true or false, got "
                    + value.inspect(context));
        }
        return value.isTrue();
    }

    private static String stringField(ThreadContext context, RubyHash hash, String name) {
        IRubyObject value = field(context, hash, name);
        if (value.isNil()) {
            return null;
        }
        if (value instanceof RubyString s) {
            return s.asJavaString();
        }
        if (value instanceof RubySymbol s) {
            return s.idString();
        }
        throw new InvalidCompletionException("completion field :" + name + " must be a String, got "
                + value.inspect(context));
    }

    private static Duration durationField(ThreadContext context, RubyHash hash, String name) {
        IRubyObject value = field(context, hash, name);
        if (value.isNil()) {
            return null;
        }
        if (value instanceof RubyInteger || value instanceof RubyFloat) {
            double seconds = ((RubyNumeric) value).asDouble(context);
            if (seconds >= 0 && !Double.isInfinite(seconds)) {
                return Duration.ofNanos(Math.round(seconds * 1e9));
            }
        }
        throw new InvalidCompletionException("completion field :" + name
                + " must be a number of seconds (0 or more), got " + value.inspect(context));
    }

    private static Instant instantField(ThreadContext context, RubyHash hash, String name) {
        IRubyObject value = field(context, hash, name);
        if (value.isNil()) {
            return Instant.now();
        }
        if (value instanceof RubyString s) {
            try {
                return OffsetDateTime.parse(s.asJavaString()).toInstant();
            } catch (DateTimeParseException e) {
                // fall through to the message below
            }
        }
        throw new InvalidCompletionException("completion field :" + name
                + " must be an ISO-8601 time String such as Time.now.utc.iso8601, got " + value.inspect(context));
    }

    private static void put(ThreadContext context, RubyHash hash, String key, IRubyObject value) {
        hash.op_aset(context, asSymbol(context, key), value);
    }

    private static IRubyObject uuid(ThreadContext context, UUID uuid) {
        return uuid == null ? context.nil : newString(context, uuid.toString());
    }

    private static IRubyObject string(ThreadContext context, String s) {
        return s == null ? context.nil : newString(context, s);
    }
}
