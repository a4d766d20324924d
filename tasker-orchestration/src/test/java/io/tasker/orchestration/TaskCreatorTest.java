package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.queue.QueueListener;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.template.TaskTemplate;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
import io.tasker.core.testing.TaskRows;
import io.tasker.orchestration.CreateTaskResult.Created;
import io.tasker.orchestration.CreateTaskResult.Duplicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class TaskCreatorTest extends EveryServerTest {
    /** Two roots, a join that lists its parents out of template order, and a tail. */
    static final String FAN_IN = """
            namespace: shipping
            name: fan_in
            version: 1.0.0
            input_schema:
              type: object
              required: [even_number, label]
              properties:
                even_number: {type: integer, multipleOf: 2}
                label: {type: string}
            steps:
              - name: fetch_b
                handler:
                  callable: io.tasker.test.Fetch
                  initialization: {source: b, timeout_ms: 250}
                retry: {retryable: false, max_attempts: 1, backoff_base_ms: 0, max_backoff_ms: 0}
                timeout_seconds: 5
              - name: fetch_a
                handler: {callable: io.tasker.test.Fetch}
              - name: merge
                handler: {callable: io.tasker.test.Merge}
                depends_on: [fetch_a, fetch_b]
              - name: publish
                handler: {callable: io.tasker.test.Publish}
                depends_on: [merge]
            """;

    private TemplateRegistry registry;
    private TaskCreator creator;
    private TaskQueries queries;

    /** A template from YAML text, refusing the test if the text is not a valid template. */
    static TaskTemplate template(String yaml) {
        return TemplateLoader.parse(yaml, "test.yaml").orThrow();
    }

    /** A one-step template with the given version and identity strategy. */
    static TaskTemplate single(String name, String version, String identityStrategy) {
        return template("""
                namespace: examples
                name: %s
                version: %s
                identity_strategy: %s
                steps:
                  - name: only_%s
                    handler: {callable: io.tasker.test.Only}
                """.formatted(name, version, identityStrategy, version.replace('.', '_')));
    }

    @BeforeEach
    void registerFanIn() {
        registry = new TemplateRegistry(dataSource);
        creator = new TaskCreator(dataSource, registry);
        queries = new TaskQueries(dataSource);
        registry.register(template(FAN_IN), null);
    }

    @Test
    void createsTheTaskAndItsStepsAndEnqueuesOnlyTheRoots() {
        UUID correlation = UUID.randomUUID();
        TaskRequest request = new TaskRequest("shipping", "fan_in", null, json("{\"even_number\": 4, \"label\": \"x\"}"),
                "alice", "billing", "month end", List.of("urgent", "eu"), 7, null, correlation);
        ConcurrentLinkedQueue<String> woken = new ConcurrentLinkedQueue<>();

        TaskView task;
        try (QueueListener ignored = QueueListener.start(db.database().url(), List.of("shipping"), woken::add)) {
            task = created(creator.create(request));
            await().untilAsserted(() -> assertThat(woken).contains("shipping"));
        }

        assertThat(task.namespace()).isEqualTo("shipping");
        assertThat(task.name()).isEqualTo("fan_in");
        assertThat(task.version()).isEqualTo("1.0.0");
        assertThat(task.state()).isEqualTo(TaskState.IN_PROGRESS);
        assertThat(task.context()).isEqualTo(json("{\"label\": \"x\", \"even_number\": 4}"));
        assertThat(task.initiator()).isEqualTo("alice");
        assertThat(task.sourceSystem()).isEqualTo("billing");
        assertThat(task.reason()).isEqualTo("month end");
        assertThat(task.tags()).containsExactly("urgent", "eu");
        assertThat(task.priority()).isEqualTo(7);
        assertThat(task.correlationId()).isEqualTo(correlation);
        assertThat(task.completedAt()).isNull();
        assertThat(task.steps()).extracting(StepView::name, StepView::state, StepView::dependsOn, StepView::attempts)
                .containsExactly(
                        tuple("fetch_b", StepState.ENQUEUED, List.of(), 0),
                        tuple("fetch_a", StepState.ENQUEUED, List.of(), 0),
                        tuple("merge", StepState.PENDING, List.of("fetch_b", "fetch_a"), 0),
                        tuple("publish", StepState.PENDING, List.of("merge"), 0));
        assertThat(queries.find(task.id())).contains(task);

        List<Map<String, Object>> steps = rows("""
                select position, name, namespace, handler_callable, max_attempts, retryable, backoff_base_ms,
                       max_backoff_ms, timeout_seconds, priority, inputs::text as inputs,
                       enqueued_at is not null as enqueued
                  from tasker_steps order by position""");
        assertThat(steps.getFirst()).containsAllEntriesOf(Map.of("position", 1, "name", "fetch_b",
                "namespace", "shipping", "handler_callable", "io.tasker.test.Fetch", "max_attempts", 1,
                "retryable", false, "backoff_base_ms", 0L, "timeout_seconds", 5, "priority", 7, "enqueued", true));
        assertThat(Json.parse((String) steps.getFirst().get("inputs"))).isEqualTo(json("{\"source\": \"b\", \"timeout_ms\": 250}"));
        assertThat(steps.get(3)).containsAllEntriesOf(Map.of("position", 4, "name", "publish", "max_attempts", 3,
                "retryable", true, "backoff_base_ms", 1000L, "max_backoff_ms", 30000L, "timeout_seconds", 30,
                "inputs", "{}", "enqueued", false));
        // The DAG as positions in template order: what a completed parent decrements, what a
        // claimed step's results come from.
        assertThat(rows("select name, parents::text, children::text, ancestors::text, parents_pending "
                + "from tasker_steps order by position"))
                .extracting(row -> row.get("name"), row -> row.get("parents"), row -> row.get("children"),
                        row -> row.get("ancestors"), row -> row.get("parents_pending"))
                .containsExactly(
                        tuple("fetch_b", "{}", "{3}", "{}", 0),
                        tuple("fetch_a", "{}", "{3}", "{}", 0),
                        tuple("merge", "{1,2}", "{4}", "{1,2}", 2),
                        tuple("publish", "{3}", "{}", "{1,2,3}", 1));

        // The task's start is its row; its history and its steps' hold what happened after.
        assertThat(TaskRows.taskHistory(dataSource, task.id())).isEmpty();
        assertThat(count("tasker_step_attempts")).isZero();
        assertThat(queries.history(task.id())).extracting(TransitionView::subject, TransitionView::fromState,
                        TransitionView::toState)
                .containsExactly(
                        tuple("task", null, "in_progress"),
                        tuple("fetch_b", null, "enqueued"),
                        tuple("fetch_a", null, "enqueued"),
                        tuple("merge", null, "pending"),
                        tuple("publish", null, "pending"));
    }

    @Test
    void aWorkerOfThisProcessWithFreeSlotsGetsTheRootsInTheCreatingTransaction() throws Exception {
        List<List<ClaimedStep>> handedOver = new ArrayList<>();
        LocalDispatch oneSlot = (namespace, callables, max) -> new LocalDispatch.Reservation() {
            @Override
            public String workerId() {
                return "local-worker";
            }

            @Override
            public java.util.Collection<String> callables() {
                return List.of("io.tasker.test.Fetch");
            }

            @Override
            public int slots() {
                return Math.min(max, 1);
            }

            @Override
            public java.time.Duration lease() {
                return java.time.Duration.ofMinutes(1);
            }

            @Override
            public void dispatch(List<ClaimedStep> claimed) {
                handedOver.add(claimed);
            }
        };
        TaskCreator local = new TaskCreator(dataSource, registry, oneSlot);
        ConcurrentLinkedQueue<String> woken = new ConcurrentLinkedQueue<>();

        TaskView task;
        try (QueueListener ignored = QueueListener.start(db.database().url(), List.of("shipping"), woken::add)) {
            task = created(local.create(fanIn(4)));
            // The root left in the queue still wakes the workers.
            await().untilAsserted(() -> assertThat(woken).contains("shipping"));
        }

        assertThat(handedOver).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .hasSize(1);
        ClaimedStep root = handedOver.getFirst().getFirst();
        assertThat(root.stepName()).isEqualTo("fetch_b");
        assertThat(root.attempts()).isEqualTo(1);
        assertThat(Json.parse(root.context())).isEqualTo(json("{\"even_number\": 4, \"label\": \"x\"}"));
        assertThat(task.steps()).extracting(StepView::name, StepView::state, StepView::attempts).containsExactly(
                tuple("fetch_b", StepState.IN_PROGRESS, 1),
                tuple("fetch_a", StepState.ENQUEUED, 0),
                tuple("merge", StepState.PENDING, 0),
                tuple("publish", StepState.PENDING, 0));
        assertThat(rows("select claimed_by, lease_until > now() as leased from tasker_steps where name = 'fetch_b'"))
                .singleElement().isEqualTo(Map.of("claimed_by", "local-worker", "leased", true));

        // A duplicate request reserves slots too, and gives them all back.
        assertThat(local.create(fanIn(4))).isEqualTo(new Duplicate(task.id()));
        assertThat(handedOver).hasSize(2);
        assertThat(handedOver.getLast()).isEmpty();
    }

    @Test
    void startAnswersWithTheIdOnly() {
        CreateTaskResult result = creator.start(fanIn(8));
        assertThat(result).isInstanceOfSatisfying(Created.class, created -> {
            assertThat(created.task()).isNull();
            assertThat(queries.find(created.taskId())).isPresent();
        });
    }

    @Test
    void aFailureHalfwayLeavesNothingBehind() {
        sql("""
                create function refuse_steps() returns trigger language plpgsql as $$
                begin raise exception 'steps refused by the test'; end $$;
                create trigger refuse_steps before insert on tasker_steps
                    for each statement execute function refuse_steps();
                """);

        assertThatThrownBy(() -> creator.create(fanIn(4)))
                .isInstanceOf(DatabaseException.class).hasMessageContaining("steps refused by the test");

        assertThat(counts()).containsOnly(0L);
    }

    @Test
    void takesTheNewestVersionUnlessOneIsGiven() {
        for (String version : List.of("1.0.0", "1.10.0", "1.9.0")) {
            registry.register(single("versioned", version, "always_unique"), null);
        }

        TaskView newest = created(creator.create(TaskRequest.of("examples", "versioned", null)));
        TaskView exact = created(creator.create(new TaskRequest("examples", "versioned", "1.9.0", null,
                null, null, null, null, null, null, null)));

        assertThat(newest.version()).isEqualTo("1.10.0");
        assertThat(newest.steps()).extracting(StepView::name).containsExactly("only_1_10_0");
        assertThat(exact.version()).isEqualTo("1.9.0");
        assertThat(exact.steps()).extracting(StepView::name).containsExactly("only_1_9_0");
        assertThat(rows("select distinct t.version from tasker_tasks k join tasker_templates t on t.id = k.template_id"
                + " order by 1")).extracting(row -> row.get("version")).containsExactly("1.10.0", "1.9.0");
    }

    @Test
    void aNewerVersionRegisteredAfterwardsIsTheNewestForTheNextTask() {
        registry.register(single("versioned", "1.0.0", "always_unique"), null);
        assertThat(created(creator.create(TaskRequest.of("examples", "versioned", null))).version()).isEqualTo("1.0.0");

        // Another process registers a newer version; this creator remembered 1.0.0 as the newest.
        new TemplateRegistry(dataSource).register(single("versioned", "1.1.0", "always_unique"), null);

        assertThat(created(creator.create(TaskRequest.of("examples", "versioned", null))).version()).isEqualTo("1.1.0");
        assertThat(created(creator.create(new TaskRequest("examples", "versioned", "1.0.0", null,
                null, null, null, null, null, null, null))).version()).isEqualTo("1.0.0");
    }

    @Test
    void anUnknownTemplateOrVersionIsRefusedWithWhatExists() {
        registry.register(single("versioned", "1.1.0", "strict"), null);
        registry.register(single("versioned", "1.0.0", "strict"), null);

        assertThatThrownBy(() -> creator.create(TaskRequest.of("examples", "nope", null)))
                .isInstanceOf(UnknownTemplateException.class)
                .hasMessage("no template examples/nope is registered");
        assertThatThrownBy(() -> creator.create(TaskRequest.of("examples", "versoined", null)))
                .isInstanceOf(UnknownTemplateException.class)
                .hasMessage("no template examples/versoined is registered; did you mean 'examples/versioned'?");
        assertThatThrownBy(() -> creator.create(new TaskRequest("examples", "versioned", "9.0.0", null,
                null, null, null, null, null, null, null)))
                .isInstanceOf(UnknownTemplateException.class)
                .hasMessage("examples/versioned has no version 9.0.0; registered: 1.0.0, 1.1.0");
        assertThatThrownBy(() -> creator.create(new TaskRequest("examples", "versioned", "1.0", null,
                null, null, null, null, null, null, null)))
                .isInstanceOf(InvalidTaskRequestException.class)
                .hasMessageContaining("version '1.0' is not MAJOR.MINOR.PATCH");
        assertThatThrownBy(() -> creator.create(TaskRequest.of("examples", " ", null)))
                .isInstanceOf(InvalidTaskRequestException.class)
                .hasMessage("a task request needs a template name");
        assertThat(counts()).containsOnly(0L);
    }

    @Test
    void anInvalidContextIsRefusedNamingEveryFailingField() {
        assertThatThrownBy(() -> creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"even_number\": \"four\", \"extra\": true}"))))
                .isInstanceOfSatisfying(InvalidContextException.class, e -> {
                    assertThat(e.errors()).extracting(ContextError::field).containsExactly("$.even_number", "$.label");
                    assertThat(e.getMessage()).startsWith("the context does not match the input_schema of shipping/fan_in@1.0.0: ")
                            .contains("$.even_number: string found, integer expected")
                            .contains("$.label: required property 'label' not found");
                });
        assertThatThrownBy(() -> creator.create(fanIn(3)))
                .isInstanceOfSatisfying(InvalidContextException.class, e -> assertThat(e.errors())
                        .containsExactly(new ContextError("$.even_number", "must be multiple of 2")));
        assertThatThrownBy(() -> creator.create(TaskRequest.of("shipping", "fan_in", null)))
                .isInstanceOfSatisfying(InvalidContextException.class, e -> assertThat(e.errors())
                        .extracting(ContextError::field).containsExactly("$.even_number", "$.label"));
        assertThatThrownBy(() -> creator.create(TaskRequest.of("shipping", "fan_in", json("[1, 2]"))))
                .isInstanceOfSatisfying(InvalidContextException.class, e -> assertThat(e.errors())
                        .containsExactly(new ContextError("$", "the context must be a JSON object, got array")));
        assertThat(counts()).containsOnly(0L);
    }

    @Test
    void aContextIsOptionalWhenTheTemplateHasNoSchema() {
        registry.register(single("schemaless", "1.0.0", "strict"), null);

        TaskView task = created(creator.create(TaskRequest.of("examples", "schemaless", null)));

        assertThat(task.context()).isEqualTo(json("{}"));
        assertThat(task.tags()).isEmpty();
        assertThat(task.priority()).isZero();
    }

    @Test
    void aTaskerCoreTemplateKeepsItsInputSchemaAsDocumentationWhileOursEnforcesIt() {
        String rest = """
                version: 1.0.0
                input_schema:
                  type: object
                  required: [tier]
                  properties:
                    tier: {type: string, enum: [standard, premium]}
                steps:
                  - name: only
                    handler: {callable: io.tasker.test.Only}
                """;
        registry.register(template("name: documented\nnamespace_name: checks\n" + rest), null);
        registry.register(template("name: enforced\nnamespace: checks\n" + rest), null);

        TaskView documented = created(creator.create(TaskRequest.of("checks", "documented", json("{\"tier\": \"gold\"}"))));

        assertThat(documented.context()).isEqualTo(json("{\"tier\": \"gold\"}"));
        assertThat(created(creator.create(TaskRequest.of("checks", "documented", null))).context()).isEqualTo(json("{}"));
        assertThatThrownBy(() -> creator.create(TaskRequest.of("checks", "enforced", json("{\"tier\": \"gold\"}"))))
                .isInstanceOfSatisfying(InvalidContextException.class, e -> assertThat(e.errors())
                        .extracting(ContextError::field).containsExactly("$.tier"));
        assertThatThrownBy(() -> creator.create(TaskRequest.of("checks", "documented", json("[1]"))))
                .as("a context is still a JSON object")
                .isInstanceOf(InvalidContextException.class);
    }

    @Test
    void strictIdentityFindsTheSameContextWhateverItsKeyOrderOrNumberForm() {
        TaskView first = created(creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"even_number\": 4, \"label\": \"x\", \"extra\": {\"a\": 1.5, \"b\": [1, 2]}}"))));
        List<Long> before = counts();

        CreateTaskResult again = creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"extra\": {\"b\": [1.0, 2], \"a\": 1.50}, \"label\": \"x\", \"even_number\": 4}")));

        assertThat(again).isEqualTo(new Duplicate(first.id()));
        assertThat(counts()).isEqualTo(before);
        assertThat(creator.create(TaskRequest.of("shipping", "fan_in",
                json("{\"even_number\": 4, \"label\": \"x\", \"extra\": {\"a\": 1.5, \"b\": [2, 1]}}"))))
                .isInstanceOf(Created.class);
    }

    @Test
    void callerKeyIdentityFollowsTheKeyAndTheKeyIsRequired() {
        registry.register(single("keyed", "1.0.0", "caller_key"), null);

        TaskView first = created(creator.create(keyed("order-1", "{\"n\": 1}")));

        assertThat(creator.create(keyed("order-1", "{\"n\": 2}"))).isEqualTo(new Duplicate(first.id()));
        assertThat(creator.create(keyed("order-2", "{\"n\": 1}"))).isInstanceOf(Created.class);
        assertThatThrownBy(() -> creator.create(keyed(null, "{\"n\": 1}")))
                .isInstanceOf(InvalidTaskRequestException.class)
                .hasMessage("examples/keyed@1.0.0 uses identity_strategy caller_key, so the request needs an idempotency_key");
        assertThat(count("tasker_tasks")).isEqualTo(2);
    }

    @Test
    void alwaysUniqueIdentityNeverFindsADuplicate() {
        registry.register(single("unique", "1.0.0", "always_unique"), null);
        TaskRequest request = TaskRequest.of("examples", "unique", json("{\"n\": 1}"));

        TaskView first = created(creator.create(request));
        TaskView second = created(creator.create(request));

        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void ofTwoConcurrentRequestsForTheSameTaskExactlyOneCreatesIt() throws Exception {
        int rounds = 10;
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < rounds; round++) {
                TaskRequest request = fanIn(2 * round);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<CreateTaskResult>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return creator.create(request);
                    }));
                }
                List<CreateTaskResult> outcomes = List.of(results.get(0).get(), results.get(1).get());

                assertThat(outcomes).filteredOn(Created.class::isInstance).hasSize(1);
                UUID createdId = outcomes.stream().filter(Created.class::isInstance)
                        .map(r -> ((Created) r).taskId()).findFirst().orElseThrow();
                assertThat(outcomes).contains(new Duplicate(createdId));
            }
        }
        assertThat(count("tasker_tasks")).isEqualTo(rounds);
        assertThat(count("tasker_steps")).isEqualTo(4L * rounds);
        assertThat(count("tasker_task_transitions")).isZero();
    }

    @Test
    void bigNumbersInTheContextSurviveExactly() {
        BigInteger twoTo100 = BigInteger.TWO.pow(100);
        String context = "{\"even_number\": %s, \"label\": \"x\", \"ratio\": 0.1000000000000000000000000000001}";

        TaskView task = created(creator.create(TaskRequest.of("shipping", "fan_in", json(context.formatted(twoTo100)))));
        TaskView next = created(creator.create(TaskRequest.of("shipping", "fan_in",
                json(context.formatted(twoTo100.add(BigInteger.TWO))))));

        TaskView stored = queries.find(task.id()).orElseThrow();
        assertThat(stored.context().get("even_number").bigIntegerValue()).isEqualTo(twoTo100);
        assertThat(stored.context().get("ratio").decimalValue()).isEqualByComparingTo("0.1000000000000000000000000000001");
        assertThat(next.context().get("even_number").bigIntegerValue()).isEqualTo(twoTo100.add(BigInteger.TWO));
        assertThat(creator.create(TaskRequest.of("shipping", "fan_in",
                json(context.formatted("1.267650600228229401496703205376E30")))))
                .isEqualTo(new Duplicate(task.id()));
    }

    private static TaskRequest fanIn(int evenNumber) {
        return TaskRequest.of("shipping", "fan_in", json("{\"even_number\": %d, \"label\": \"x\"}".formatted(evenNumber)));
    }

    private static TaskRequest keyed(String key, String context) {
        return new TaskRequest("examples", "keyed", null, json(context), null, null, null, null, null, key, null);
    }

    static TaskView created(CreateTaskResult result) {
        assertThat(result).isInstanceOf(Created.class);
        return ((Created) result).task();
    }

    static JsonNode json(String text) {
        return Json.parse(text);
    }

    /** Rows of every table task creation writes, so a test can see that nothing was written. */
    private List<Long> counts() {
        return List.of(count("tasker_tasks"), count("tasker_steps"), count("tasker_task_transitions"),
                count("tasker_step_attempts"));
    }

    private long count(String table) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, "select count(*) from " + table,
                row -> row.getLong(1))).orElseThrow();
    }

    private List<Map<String, Object>> rows(String sql) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.query(c, sql, row -> {
            Map<String, Object> columns = new LinkedHashMap<>();
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                columns.put(row.getMetaData().getColumnLabel(i), row.getObject(i));
            }
            return columns;
        }));
    }

    private void sql(String statements) {
        Jdbc.withConnection(dataSource, c -> {
            try (var statement = c.createStatement()) {
                return statement.execute(statements);
            }
        });
    }
}
