package io.tasker.worker.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RetryPolicy;
import io.tasker.worker.TaskSequenceStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What a {@link StepHandler} sees of the step it runs. A worker makes one for each step; a test
 * of a handler makes one with {@link #builder(String)}.
 */
public final class StepContext {
    private final TaskSequenceStep step;
    private final BooleanSupplier cancelled;

    public StepContext(TaskSequenceStep step) {
        this(step, () -> false);
    }

    /** @param cancelled whether the worker gave up on this step (see {@link #isCancelled()}) */
    public StepContext(TaskSequenceStep step, BooleanSupplier cancelled) {
        this.step = step;
        this.cancelled = cancelled;
    }

    /**
     * True once the worker gave up on this step: its task was cancelled, its timeout passed or its
     * claim was lost. The handler's thread is interrupted then too; a handler that works in a loop
     * should stop when this turns true. Its result is not recorded.
     */
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    public UUID taskUuid() {
        return step.taskUuid();
    }

    public UUID stepUuid() {
        return step.stepUuid();
    }

    public String namespace() {
        return step.namespace();
    }

    public String stepName() {
        return step.step().name();
    }

    /** The task's context, as given when the task was created. */
    public JsonNode taskContext() {
        return step.taskContext();
    }

    /** The step's {@code handler.initialization} from the template. */
    public ObjectNode initialization() {
        return step.step().initialization();
    }

    /** The result of any ancestor step (not only direct parents), or null when there is none. */
    public JsonNode dependencyResult(String stepName) {
        return step.dependencyResults().get(stepName);
    }

    /** The results of all ancestor steps by step name. */
    public Map<String, JsonNode> dependencyResults() {
        return step.dependencyResults();
    }

    /** Which run this is: 1 on the first run, 2 on the first retry. */
    public int attempt() {
        return step.attempt();
    }

    public int maxAttempts() {
        return step.maxAttempts();
    }

    public TaskSequenceStep taskSequenceStep() {
        return step;
    }

    /** The step's own inputs: a batch worker's cursor range and batch settings; empty for most steps. */
    public ObjectNode inputs() {
        return step.inputs() instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
    }

    /** The batch this step processes when it is a batch worker (its inputs hold a cursor); else null. */
    public BatchWorker batch() {
        JsonNode cursor = inputs().get("cursor");
        if (cursor == null || !cursor.isObject()) {
            return null;
        }
        JsonNode settings = inputs().path("batch_metadata");
        return new BatchWorker(cursor.path("batch_id").asText(""), cursor.path("start_cursor"),
                cursor.path("end_cursor"), cursor.path("batch_size").asLong(0),
                settings.path("checkpoint_interval").asInt(BatchWorker.DEFAULT_CHECKPOINT_INTERVAL),
                settings.path("cursor_field").textValue(), settings.path("failure_strategy").textValue(),
                inputs().path("is_no_op").asBoolean(false));
    }

    /**
     * The last checkpoint this step saved ({@link StepHandlerResult#checkpoint}), to resume from; null
     * on a step's first run. Kept across retries and a worker's crash.
     */
    public Checkpoint checkpoint() {
        JsonNode saved = step.checkpoint();
        if (saved == null || !saved.isObject()) {
            return null;
        }
        JsonNode accumulated = saved.get("accumulated_results");
        return new Checkpoint(saved.path("cursor").deepCopy(), saved.path("items_processed").asLong(0),
                accumulated == null || accumulated.isNull() ? null : accumulated.deepCopy());
    }

    /**
     * A batch worker's share of its batch, from its inputs. Its cursors are JSON (a row number, a
     * key, a timestamp): {@link #start()} and {@link #end()} as given, {@link #startCursor()} and
     * {@link #endCursor()} as numbers. A placeholder worker ({@link #noOp()}, made when the
     * batchable step chose no batches) has nothing to process.
     */
    public record BatchWorker(String batchId, JsonNode start, JsonNode end, long batchSize, int checkpointInterval,
            String cursorField, String failureStrategy, boolean noOp) {
        /** tasker-core's default. */
        public static final int DEFAULT_CHECKPOINT_INTERVAL = 100;

        /** The first item (inclusive) as a number. */
        public long startCursor() {
            return number(start, "start_cursor");
        }

        /** The end (exclusive) as a number. */
        public long endCursor() {
            return number(end, "end_cursor");
        }

        private long number(JsonNode cursor, String which) {
            if (cursor == null || !cursor.canConvertToExactIntegral() || !cursor.canConvertToLong()) {
                throw new IllegalStateException("batch " + batchId + "'s " + which + " is " + cursor
                        + ", not a whole number: read it with " + (which.startsWith("start") ? "start()" : "end()"));
            }
            return cursor.longValue();
        }
    }

    /** A saved checkpoint: the position, how many items were processed up to it, partial results or null. */
    public record Checkpoint(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults) {}

    /**
     * A context for a handler's unit test, as a worker would build it for step {@code stepName}
     * of a task in namespace {@code test}: the first attempt of three, an empty task context and
     * initialization, no ancestors, no inputs or checkpoint, not cancelled, unless set otherwise.
     */
    public static Builder builder(String stepName) {
        return new Builder(stepName);
    }

    /** Builds a {@link StepContext} without a worker; values are converted to JSON as results are. */
    public static final class Builder {
        private final String stepName;
        private String namespace = "test";
        private String taskName = "test_task";
        private String callable = "test.Handler";
        private JsonNode taskContext = Json.MAPPER.createObjectNode();
        private ObjectNode initialization = Json.MAPPER.createObjectNode();
        private final Map<String, JsonNode> dependencyResults = new LinkedHashMap<>();
        private List<String> dependsOn;
        private int attempt = 1;
        private int maxAttempts = RetryPolicy.DEFAULT.maxAttempts();
        private BooleanSupplier cancelled = () -> false;
        private JsonNode inputs;
        private JsonNode checkpoint;

        private Builder(String stepName) {
            this.stepName = Objects.requireNonNull(stepName, "stepName");
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder taskName(String taskName) {
            this.taskName = taskName;
            return this;
        }

        /** The template's {@code handler.callable} for the step. */
        public Builder callable(String callable) {
            this.callable = callable;
            return this;
        }

        /** The task's context: a JSON object, or a Map or record converted to one. */
        public Builder taskContext(Object context) {
            this.taskContext = toJson("task context", context);
            return this;
        }

        /** The step's {@code handler.initialization}: a JSON object, or a Map or record converted to one. */
        public Builder initialization(Object initialization) {
            if (!(toJson("initialization", initialization) instanceof ObjectNode object)) {
                throw new IllegalArgumentException("initialization must be a JSON object, got " + initialization);
            }
            this.initialization = object;
            return this;
        }

        /**
         * The result of ancestor step {@code step}. Unless {@link #dependsOn} says otherwise, the
         * steps given here are the step's direct parents.
         */
        public Builder dependencyResult(String step, Object result) {
            dependencyResults.put(Objects.requireNonNull(step, "step"), toJson("result of " + step, result));
            return this;
        }

        /** The step's direct parents, as the template's {@code depends_on} lists them. */
        public Builder dependsOn(String... steps) {
            this.dependsOn = List.of(steps);
            return this;
        }

        /** Which run this is (1 on the first) of at most {@code maxAttempts}. */
        public Builder attempt(int attempt, int maxAttempts) {
            this.attempt = attempt;
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** What {@link StepContext#isCancelled()} answers, e.g. to test that a long handler stops. */
        public Builder cancelled(BooleanSupplier cancelled) {
            this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
            return this;
        }

        /** The step's inputs: a JSON object, or a Map or record converted to one. */
        public Builder inputs(Object inputs) {
            if (!(toJson("inputs", inputs) instanceof ObjectNode object)) {
                throw new IllegalArgumentException("inputs must be a JSON object, got " + inputs);
            }
            this.inputs = object;
            return this;
        }

        /**
         * Makes the step batch {@code batchId}'s worker over {@code [start, end)}, as a batchable step's
         * outcome creates it, with tasker-core's default batch settings.
         */
        public Builder batch(String batchId, Object start, Object end) {
            ObjectNode given = Json.MAPPER.createObjectNode();
            ObjectNode cursor = given.putObject("cursor").put("batch_id", batchId);
            cursor.set("start_cursor", toJson("start cursor", start));
            cursor.set("end_cursor", toJson("end cursor", end));
            if (start instanceof Number from && end instanceof Number to) {
                cursor.put("batch_size", to.longValue() - from.longValue());
            }
            given.putObject("batch_metadata").put("checkpoint_interval", BatchWorker.DEFAULT_CHECKPOINT_INTERVAL);
            given.put("is_no_op", false);
            this.inputs = given;
            return this;
        }

        /** The checkpoint the step saved before, to resume from. */
        public Builder checkpoint(Object cursor, long itemsProcessed, Object accumulatedResults) {
            ObjectNode saved = Json.MAPPER.createObjectNode();
            saved.set("cursor", toJson("checkpoint cursor", cursor));
            saved.put("items_processed", itemsProcessed);
            if (accumulatedResults != null) {
                saved.set("accumulated_results", toJson("accumulated results", accumulatedResults));
            }
            this.checkpoint = saved;
            return this;
        }

        public StepContext build() {
            TaskSequenceStep.StepDefinition step = new TaskSequenceStep.StepDefinition(stepName, callable,
                    initialization, dependsOn != null ? dependsOn : List.copyOf(dependencyResults.keySet()),
                    new RetryPolicy(true, maxAttempts, RetryPolicy.DEFAULT.backoffBaseMs(),
                            RetryPolicy.DEFAULT.maxBackoffMs()), 30);
            return new StepContext(new TaskSequenceStep(UUID.randomUUID(), UUID.randomUUID(), namespace, taskName,
                    "1.0.0", taskContext, step, dependencyResults, attempt, maxAttempts, inputs, checkpoint),
                    cancelled);
        }

        private static JsonNode toJson(String what, Object value) {
            if (value == null) {
                return NullNode.getInstance();
            }
            try {
                return Json.MAPPER.valueToTree(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the " + what + " cannot be converted to JSON: " + e.getMessage(), e);
            }
        }
    }
}
