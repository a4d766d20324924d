package io.tasker.client;

import io.tasker.server.RunningApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigInteger;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tasker.server.ClientTasks.stepId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Java client against a running Tasker over real HTTP: every route, its answers and its refusals. */
class TaskerClientTest {
    @RegisterExtension
    static final RunningApi api = new RunningApi();

    @Test
    void aCreatedTaskIsFollowedToItsResultWithEveryNumberExact() {
        BigInteger even = BigInteger.TEN.pow(20).add(BigInteger.TWO);

        Task created = api.client().createTask(NewTask.builder("examples", "linear_workflow")
                .context(Map.of("even_number", even)).initiator("client-test").build());

        assertThat(created.templateKey()).isEqualTo("examples/linear_workflow@1.0.0");
        assertThat(created.context().get("even_number").bigIntegerValue()).isEqualTo(even);
        assertThat(created.initiator()).isEqualTo("client-test");
        assertThat(created.steps()).extracting(Step::name).containsExactly("step_a", "step_b", "step_c", "step_d");
        assertThat(created.step("step_b").orElseThrow().dependsOn()).containsExactly("step_a");
        Task done = api.tasks().settled(created.taskUuid());
        assertThat(done.state()).isEqualTo("complete");
        assertThat(done.completedAt()).isAfterOrEqualTo(done.createdAt());
        Step last = done.step("step_d").orElseThrow();
        assertThat(last.state()).isEqualTo("complete");
        assertThat(last.attempts()).isOne();
        assertThat(last.results().get("value").bigIntegerValue()).isEqualTo(even.pow(16));
        assertThat(done.json().get("task_uuid").asText()).isEqualTo(done.taskUuid().toString());
    }

    @Test
    void aTaskWithTheSameIdentityIsRefusedWith409NamingTheOneThatExists() {
        NewTask request = NewTask.builder("examples", "linear_workflow").context(Map.of("even_number", 4))
                .idempotencyKey("client-duplicate").build();
        Task first = api.client().createTask(request);

        TaskerClientException refused = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().createTask(request));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.isUnreachable()).isFalse();
        assertThat(refused.existingTaskUuid()).contains(first.taskUuid());
        assertThat(refused.serverMessage()).startsWith("a task with the same identity already exists: "
                + first.taskUuid());
        assertThat(refused.getMessage()).isEqualTo(refused.serverMessage() + " (HTTP 409)");
    }

    @Test
    void refusalsCarryTheStatusAndTheServersMessageWithTheFieldsAtFault() {
        TaskerClientException unknownTemplate = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().createTask(NewTask.builder("examples", "nope").build()));
        TaskerClientException badContext = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().createTask(NewTask.builder("examples", "linear_workflow")
                        .context(Map.of("even_number", "six")).build()));
        UUID missing = UUID.randomUUID();
        TaskerClientException unknownTask = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().getTask(missing));

        assertThat(unknownTemplate.status()).isEqualTo(404);
        assertThat(unknownTemplate.serverMessage()).contains("examples/nope");
        assertThat(badContext.status()).isEqualTo(400);
        assertThat(badContext.body().get("details")).isNotEmpty();
        assertThat(badContext.getMessage()).contains("$.even_number: ").endsWith("(HTTP 400)");
        assertThat(unknownTask.status()).isEqualTo(404);
        assertThat(unknownTask.serverMessage()).startsWith("no task " + missing);
        assertThat(unknownTask.existingTaskUuid()).isEmpty();
    }

    @Test
    void aServerThatIsNotThereIsToldApartFromARefusal() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TaskerClient nowhere = TaskerClient.create("http://127.0.0.1:" + closedPort + "/")) {
            TaskerClientException e = catchThrowableOfType(TaskerClientException.class, nowhere::health);

            assertThat(e.isUnreachable()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).startsWith("cannot reach Tasker at http://127.0.0.1:" + closedPort + ": ");
        }
    }

    @Test
    void optionsTakeAnHttpUrlAndAPrintableToken() {
        TaskerClientOptions options = TaskerClientOptions.builder().baseUrl("https://tasker.example.com/api/")
                .token("  abc123 ").requestTimeout(Duration.ofSeconds(3)).build();

        assertThat(options.baseUrl()).hasToString("https://tasker.example.com/api");
        assertThat(options.token()).isEqualTo("abc123");
        assertThat(options.connectTimeout()).isEqualTo(TaskerClientOptions.DEFAULT_CONNECT_TIMEOUT);
        assertThat(TaskerClientOptions.builder().token(" ").build().token()).isNull();
        assertThat(TaskerClientOptions.builder().build().baseUrl()).hasToString(TaskerClientOptions.DEFAULT_URL);
        assertThatThrownBy(() -> TaskerClientOptions.of("localhost:8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the Tasker URL must look like http://127.0.0.1:8080, got 'localhost:8080'");
        assertThatThrownBy(() -> TaskerClientOptions.builder().token("two words").build())
                .hasMessageContaining("printable ASCII without spaces");
        assertThatThrownBy(() -> TaskerClientOptions.builder().requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("requestTimeout must be a positive duration");
        assertThatThrownBy(() -> TaskQuery.all().limit(501)).hasMessage("limit must be from 1 to 500, got 501");
    }

    @Test
    void tasksAreListedByTheirFiltersAndEveryPageIsStreamedNewestFirst() {
        String initiator = "client-list-" + UUID.randomUUID();
        List<UUID> created = new ArrayList<>();
        for (int even = 2; even <= 10; even += 2) {
            created.add(api.client().createTask(NewTask.builder("examples", "diamond_workflow")
                    .context(Map.of("even_number", even)).initiator(initiator).build()).taskUuid());
        }
        created.forEach(api.tasks()::settled);
        List<UUID> newestFirst = created.reversed();
        TaskQuery mine = TaskQuery.all().initiator(initiator);

        Page<Task> first = api.client().listTasks(mine.limit(2));
        Page<Task> second = api.client().listTasks(mine.limit(2).cursor(first.nextCursor()));

        assertThat(first.items()).extracting(Task::taskUuid).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(first.hasNext()).isTrue();
        assertThat(second.items()).extracting(Task::taskUuid).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(api.client().streamTasks(mine.limit(2)).map(Task::taskUuid)).containsExactlyElementsOf(newestFirst);
        Task item = first.items().getFirst();
        assertThat(item.context()).isNull();
        assertThat(item.steps()).isEmpty();
        assertThat(item.stepCounts()).containsExactly(Map.entry("complete", 4L));
        assertThat(item.durationMs()).isNotNegative();
        assertThat(item.lastError()).isNull();
        assertThat(api.client().listTasks(mine.namespace("examples").name("diamond_workflow").states("complete", "error"))
                .items()).hasSize(5);
        assertThat(api.client().listTasks(mine.states("error")).items()).isEmpty();
        assertThat(api.client().listTasks(mine.name("linear_workflow")).items()).isEmpty();
        // Ids are time-ordered (UUIDv7): the first 13 characters are the millisecond, then random bits.
        assertThat(api.client().listTasks(mine.idPrefix(created.get(2).toString().substring(0, 18))).items())
                .extracting(Task::taskUuid).containsExactly(created.get(2));
        assertThat(api.client().listTasks(mine.createdFrom(Instant.now().plusSeconds(60))).items()).isEmpty();
        assertThat(api.client().listTasks(mine.createdTo(Instant.now().plusSeconds(60))).items()).hasSize(5);
        assertThat(api.client().listTasks(mine.correlationId(UUID.randomUUID())).items()).isEmpty();
    }

    @Test
    void aFailedTaskInAListNamesItsFailedStepAndTheStepListFindsIt() {
        Task failed = api.tasks().failedOrder("ORD-CLIENT-LIST");

        Task listed = api.client().listTasks(TaskQuery.all().idPrefix(failed.taskUuid().toString())).items().getFirst();
        List<StepSummary> failedSteps = api.client().streamSteps(StepQuery.all().namespace("examples")
                .taskName("order_fulfillment").name("process_payment").states("error").limit(1)).toList();

        assertThat(listed.lastError().stepName()).isEqualTo("process_payment");
        assertThat(listed.lastError().stepUuid()).isEqualTo(stepId(failed, "process_payment"));
        assertThat(listed.lastError().message()).contains("payment gateway unavailable");
        assertThat(listed.stepCounts()).containsEntry("error", 1L).containsEntry("complete", 2L);
        assertThat(failedSteps).anySatisfy(step -> {
            assertThat(step.taskUuid()).isEqualTo(failed.taskUuid());
            assertThat(step.stepUuid()).isEqualTo(stepId(failed, "process_payment"));
            assertThat(step.taskName()).isEqualTo("order_fulfillment");
            assertThat(step.attempts()).isEqualTo(5);
            assertThat(step.maxAttempts()).isEqualTo(5);
            assertThat(step.lastErrorMessage()).contains("payment gateway unavailable");
        });
        assertThat(failedSteps).allSatisfy(step -> assertThat(step.state()).isEqualTo("error"));
    }

    @Test
    void aRetriedStepRunsAgainAndTheHistoryNamesWhoRetriedItAndWhy() {
        Task failed = api.tasks().failedOrder("ORD-CLIENT-RETRY");

        Task retried = api.client().retryStep(failed.taskUuid(), stepId(failed, "process_payment"), "the gateway is back");

        assertThat(retried.state()).isEqualTo("in_progress");
        Task done = api.tasks().settled(failed.taskUuid());
        assertThat(done.state()).isEqualTo("complete");
        assertThat(api.client().transitions(failed.taskUuid()))
                .filteredOn(change -> change.metadata() != null && change.metadata().has("action"))
                .extracting(change -> change.subject() + " " + change.fromState() + "->" + change.toState() + " "
                        + change.metadata().get("action").asText() + " " + change.metadata().get("reason").asText())
                .containsExactlyInAnyOrder("process_payment error->enqueued retry the gateway is back",
                        "task error->in_progress retry the gateway is back");
    }

    @Test
    void aStepCompletedByHandGivesItsChildrenItsResult() {
        Task failed = api.tasks().failedOrder("ORD-CLIENT-COMPLETE");

        api.client().completeStep(failed.taskUuid(), stepId(failed, "process_payment"),
                Map.of("order_id", "ORD-CLIENT-COMPLETE", "payment_id", "PAY-BY-HAND", "status", "captured"), null);

        Task done = api.tasks().settled(failed.taskUuid());
        assertThat(done.state()).isEqualTo("complete");
        assertThat(done.step("process_payment").orElseThrow().results().get("payment_id").asText())
                .isEqualTo("PAY-BY-HAND");
        assertThat(done.step("ship_order").orElseThrow().results().get("payment_id").asText())
                .isEqualTo("PAY-BY-HAND");
    }

    @Test
    void aResolvedStepCountsAsDone() {
        Task failed = api.tasks().failedOrder("ORD-CLIENT-RESOLVE");

        Task resolved = api.client().resolveStep(failed.taskUuid(), stepId(failed, "process_payment"), "paid elsewhere");

        assertThat(resolved.step("process_payment").orElseThrow().state()).isEqualTo("resolved_manually");
        assertThat(resolved.state()).isEqualTo("in_progress");
        TaskerClientException again = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().resolveStep(failed.taskUuid(), stepId(failed, "process_payment"), null));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.serverMessage()).startsWith("step 'process_payment' is resolved_manually; only a step in "
                + "error can be");
    }

    @Test
    void aCancelledTaskIsCancelledOnce() {
        Task failed = api.tasks().failedOrder("ORD-CLIENT-CANCEL");

        Task cancelled = api.client().cancelTask(failed.taskUuid(), "customer withdrew");
        TaskerClientException again = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().cancelTask(failed.taskUuid(), null));

        assertThat(cancelled.state()).isEqualTo("cancelled");
        assertThat(cancelled.step("ship_order").orElseThrow().state()).isEqualTo("cancelled");
        assertThat(cancelled.step("validate_order").orElseThrow().state()).isEqualTo("complete");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.serverMessage()).isEqualTo("task " + failed.taskUuid() + " is cancelled; only a task that "
                + "is pending, in_progress or error can be cancelled");
    }

    @Test
    void aDeadLetterIsListedReadCountedAndResolvedOnce() {
        Task stuck = api.tasks().deadLettered(api.tasker(), "client_nobody_serves");
        long resolvedBefore = api.client().deadLetterStats().resolved();

        DeadLetter entry = api.client().streamDeadLetters(DeadLetterQuery.open().limit(1))
                .filter(e -> e.taskUuid().equals(stuck.taskUuid())).findFirst().orElseThrow();
        assertThat(entry.namespace()).isEqualTo("client_nobody_serves");
        assertThat(entry.name()).isEqualTo("stuck");
        assertThat(entry.taskState()).isEqualTo("in_progress");
        assertThat(entry.reason()).startsWith("no progress for");
        assertThat(entry.isResolved()).isFalse();
        assertThat(api.client().getDeadLetter(entry.id())).isEqualTo(entry);
        DeadLetterStats stats = api.client().deadLetterStats();
        assertThat(stats.open()).isPositive();
        assertThat(stats.openByTaskState()).containsKey("in_progress");
        assertThat(stats.openByTaskState().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(stats.open());

        DeadLetter resolved = api.client().resolveDeadLetter(entry.id(), "looked at it");

        assertThat(resolved.isResolved()).isTrue();
        assertThat(resolved.resolvedBy()).isEqualTo("anonymous");
        assertThat(resolved.resolution()).isEqualTo("looked at it");
        assertThat(api.client().deadLetterStats().resolved()).isEqualTo(resolvedBefore + 1);
        assertThat(api.client().listDeadLetters(DeadLetterQuery.resolved()).items()).extracting(DeadLetter::id)
                .contains(entry.id());
        assertThat(api.client().streamDeadLetters(DeadLetterQuery.open())).extracting(DeadLetter::id)
                .doesNotContain(entry.id());
        assertThat(api.client().streamDeadLetters(DeadLetterQuery.all())).extracting(DeadLetter::id).contains(entry.id());
        TaskerClientException again = catchThrowableOfType(TaskerClientException.class,
                () -> api.client().resolveDeadLetter(entry.id(), "again"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.serverMessage())
                .startsWith("dead letter " + entry.id() + " was resolved already, by anonymous");
        assertThat(catchThrowableOfType(TaskerClientException.class, () -> api.client().getDeadLetter(UUID.randomUUID()))
                .status()).isEqualTo(404);
    }

    @Test
    void templatesAreListedAndReadWithTheirSteps() {
        List<Template> templates = api.client().listTemplates();
        Template diamond = api.client().getTemplate("examples", "diamond_workflow");

        assertThat(templates).extracting(Template::key)
                .contains("examples/diamond_workflow@1.0.0", "examples/order_fulfillment@1.0.0");
        assertThat(diamond.key()).isEqualTo("examples/diamond_workflow@1.0.0");
        assertThat(diamond.description()).startsWith("One step fans out to two parallel steps");
        assertThat(diamond.registeredAt()).isBeforeOrEqualTo(Instant.now());
        assertThat(diamond.steps()).extracting(TemplateStep::name).containsExactly("start", "left", "right", "end");
        TemplateStep end = diamond.steps().getLast();
        assertThat(end.dependsOn()).containsExactly("left", "right");
        assertThat(end.handler()).isEqualTo("io.tasker.examples.math.MultiplyStep");
        assertThat(api.client().getTemplate("examples", "order_fulfillment", "1.0.0").steps().get(2).retry()
                .get("max_attempts").asInt()).isEqualTo(5);
        assertThat(catchThrowableOfType(TaskerClientException.class,
                () -> api.client().getTemplate("examples", "diamond_workflow", "9.9.9")).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(TaskerClientException.class,
                () -> api.client().getTemplate("examples", "no such/template")).status()).isEqualTo(404);
    }

    @Test
    void healthSaysTheServerServes() {
        Health ready = api.client().health();
        Health live = api.client().liveness();

        assertThat(ready.status()).isEqualTo("ok");
        assertThat(ready.isServing()).isTrue();
        assertThat(ready.problems()).isEmpty();
        assertThat(live.status()).isEqualTo("ok");
    }
}
