package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.queue.StepQueue;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;
import io.tasker.core.testing.TaskRows;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static io.tasker.worker.WorkerFixture.config;
import static io.tasker.worker.WorkerFixture.eventually;
import static io.tasker.worker.WorkerFixture.newNamespace;
import static org.assertj.core.api.Assertions.assertThat;

/** Tasks run end to end by a worker with Java handlers, on a real PostgreSQL. */
class WorkerFlowTest {
    @RegisterExtension
    static final WorkerFixture fixture = new WorkerFixture();

    /** What a handler saw of its step. */
    record Seen(String step, int attempt, Map<String, JsonNode> dependencyResults, JsonNode initialization) {}

    private static final Map<UUID, List<Seen>> SEEN_BY_TASK = new ConcurrentHashMap<>();

    /** Squares the previous step's value (or the context's {@code even_number}), in exact integers. */
    public static final class SquareStep implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            SEEN_BY_TASK.computeIfAbsent(context.taskUuid(), id -> new CopyOnWriteArrayList<>()).add(new Seen(
                    context.stepName(), context.attempt(), context.dependencyResults(), context.initialization()));
            String parent = context.taskSequenceStep().step().dependsOn().stream().findFirst().orElse(null);
            BigInteger input = parent == null ? context.taskContext().get("even_number").bigIntegerValue()
                    : context.dependencyResult(parent).get("value").bigIntegerValue();
            return StepHandlerResult.success(Map.of("value", input.multiply(input)));
        }
    }

    @Test
    void aLinearTaskCompletesAndEachStepSeesAllItsAncestors() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %1$s
                name: linear
                version: 1.0.0
                steps:
                  - name: step_a
                    handler: {callable: %2$s, initialization: {note: first}}
                  - name: step_b
                    handler: {callable: %2$s}
                    depends_on: [step_a]
                  - name: step_c
                    handler: {callable: %2$s}
                    depends_on: [step_b]
                  - name: step_d
                    handler: {callable: %2$s}
                    depends_on: [step_c]
                """, ns, SquareStep.class.getName());
        fixture.start(config(ns), new StepHandlerRegistry().register(SquareStep.class));

        UUID task = fixture.createTask(ns, "linear", "{\"even_number\": 1000000}");

        fixture.awaitTaskState(task, "complete");
        List<Seen> seen = SEEN_BY_TASK.get(task);
        assertThat(seen).extracting(Seen::step).containsExactly("step_a", "step_b", "step_c", "step_d");
        assertThat(seen).extracting(Seen::attempt).containsOnly(1);
        assertThat(seen).extracting(s -> new TreeSet<>(s.dependencyResults().keySet())).containsExactly(
                new TreeSet<>(), new TreeSet<>(List.of("step_a")), new TreeSet<>(List.of("step_a", "step_b")),
                new TreeSet<>(List.of("step_a", "step_b", "step_c")));
        assertThat(seen.get(3).dependencyResults().get("step_a").get("value").bigIntegerValue())
                .isEqualTo(BigInteger.TEN.pow(12));
        assertThat(seen.get(0).initialization().get("note").asText()).isEqualTo("first");
        // 10^6 squared four times is 10^96: the numbers stay exact through every step.
        assertThat(fixture.step(task, "step_d").results().get("value").bigIntegerValue())
                .isEqualTo(BigInteger.TEN.pow(96));
    }

    @Test
    void theBranchesOfADiamondRunInParallel() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: diamond
                version: 1.0.0
                steps:
                  - {name: start, handler: {callable: test.Start}}
                  - {name: left, handler: {callable: test.Branch}, depends_on: [start]}
                  - {name: right, handler: {callable: test.Branch}, depends_on: [start]}
                  - {name: join, handler: {callable: test.Join}, depends_on: [left, right]}
                """, ns);
        // Each branch waits for the other, so the task completes only if both run at once.
        CyclicBarrier bothBranches = new CyclicBarrier(2);
        StepHandlerRegistry handlers = new StepHandlerRegistry()
                .register("test.Start", () -> context -> StepHandlerResult.success(1))
                .register("test.Branch", () -> context -> {
                    bothBranches.await(30, TimeUnit.SECONDS);
                    return StepHandlerResult.success(context.dependencyResult("start").intValue() + 1);
                })
                .register("test.Join", () -> context -> StepHandlerResult.success(
                        context.dependencyResult("left").intValue() + context.dependencyResult("right").intValue()
                                + context.dependencyResult("start").intValue()));
        fixture.start(config(ns), handlers);

        UUID task = fixture.createTask(ns, "diamond", "{}");

        fixture.awaitTaskState(task, "complete");
        assertThat(fixture.step(task, "join").results().intValue()).isEqualTo(5);
    }

    @Test
    void aRetryableExceptionIsRetriedUntilTheHandlerSucceeds() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: flaky
                version: 1.0.0
                steps:
                  - name: flaky
                    handler: {callable: test.Flaky}
                    retry: {max_attempts: 3, backoff_base_ms: 0, max_backoff_ms: 0}
                """, ns);
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        fixture.start(config(ns), new StepHandlerRegistry().register("test.Flaky", () -> context -> {
            attempts.add(context.attempt());
            if (context.attempt() < 3) {
                throw new RetryableException("not yet");
            }
            return StepHandlerResult.success(Map.of("attempt", context.attempt()));
        }));

        UUID task = fixture.createTask(ns, "flaky", "{}");

        fixture.awaitTaskState(task, "complete");
        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(fixture.step(task, "flaky").attempts()).isEqualTo(3);
        assertThat(fixture.step(task, "flaky").results().get("attempt").intValue()).isEqualTo(3);
    }

    @Test
    void aPermanentExceptionFailsTheStepAndTheTask() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: doomed
                version: 1.0.0
                steps:
                  - {name: validate, handler: {callable: test.Validate}}
                  - {name: never, handler: {callable: test.Validate}, depends_on: [validate]}
                """, ns);
        fixture.start(config(ns), new StepHandlerRegistry().register("test.Validate", () -> context -> {
            throw new PermanentException("order 42 has no items");
        }));

        UUID task = fixture.createTask(ns, "doomed", "{}");

        fixture.awaitTaskState(task, "error");
        WorkerFixture.StepRow step = fixture.step(task, "validate");
        assertThat(step.state()).isEqualTo("error");
        assertThat(step.attempts()).isEqualTo(1);
        assertThat(step.lastError().get("message").asText()).isEqualTo("order 42 has no items");
        assertThat(step.lastError().get("error_type").asText()).isEqualTo(PermanentException.class.getName());
        assertThat(step.lastError().get("retryable").booleanValue()).isFalse();
        assertThat(fixture.step(task, "never").state()).isEqualTo("pending");
    }

    @Test
    void anUnexpectedExceptionIsRecordedWithItsClassMessageAndBacktrace() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: buggy
                version: 1.0.0
                steps:
                  - name: buggy
                    handler: {callable: test.Buggy}
                    retry: {max_attempts: 1}
                """, ns);
        fixture.start(config(ns), new StepHandlerRegistry().register("test.Buggy", () -> context -> {
            throw new IllegalStateException("boom");
        }));

        UUID task = fixture.createTask(ns, "buggy", "{}");

        fixture.awaitTaskState(task, "error");
        JsonNode error = fixture.step(task, "buggy").lastError();
        assertThat(error.get("message").asText()).isEqualTo("boom");
        assertThat(error.get("error_type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("retryable").booleanValue()).isTrue();
        assertThat(error.at("/details/exception_class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.at("/details/backtrace")).isNotEmpty().hasSizeLessThanOrEqualTo(10);
        assertThat(error.at("/details/backtrace/0").asText()).contains(WorkerFlowTest.class.getName());
    }

    @Test
    void aWorkerClaimsOnlyStepsItHasAHandlerForAndLeavesTheRestToOthers() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: mixed
                version: 1.0.0
                steps:
                  - {name: here, handler: {callable: test.Here}}
                  - {name: elsewhere, handler: {callable: test.Elsewhere}, depends_on: [here]}
                """, ns);
        fixture.register("""
                namespace: %s
                name: local
                version: 1.0.0
                steps:
                  - {name: only, handler: {callable: test.Here}}
                """, ns);
        fixture.start(config(ns), new StepHandlerRegistry().register("test.Here", () -> context -> StepHandlerResult.success(1)));

        UUID mixed = fixture.createTask(ns, "mixed", "{}");
        UUID local = fixture.createTask(ns, "local", "{}");
        fixture.awaitTaskState(local, "complete");
        eventually().untilAsserted(() -> assertThat(fixture.step(mixed, "here").state()).isEqualTo("complete"));
        // The first worker has claimed since "elsewhere" became ready, and left it alone.
        UUID later = fixture.createTask(ns, "local", "{\"n\": 2}");
        fixture.awaitTaskState(later, "complete");
        WorkerFixture.StepRow waiting = fixture.step(mixed, "elsewhere");
        assertThat(waiting.state()).isEqualTo("enqueued");
        assertThat(waiting.attempts()).isZero();

        fixture.start(config(ns), new StepHandlerRegistry().register("test.Elsewhere", () -> context -> StepHandlerResult.success(2)));
        fixture.awaitTaskState(mixed, "complete");
    }

    @Test
    void aHandlerThatRunsPastItsTimeoutIsInterruptedAndFailed() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: slow
                version: 1.0.0
                steps:
                  - name: slow
                    handler: {callable: test.Slow}
                    timeout_seconds: 1
                    retry: {max_attempts: 1}
                """, ns);
        List<String> interrupted = new CopyOnWriteArrayList<>();
        WorkerSystemHandle worker = fixture.start(config(ns), new StepHandlerRegistry().register("test.Slow",
                () -> context -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        interrupted.add(context.stepName());
                    }
                    return StepHandlerResult.success("too late");
                }));

        UUID task = fixture.createTask(ns, "slow", "{}");

        fixture.awaitTaskState(task, "error");
        JsonNode error = fixture.step(task, "slow").lastError();
        assertThat(error.get("message").asText()).isEqualTo("step timed out after 1 s");
        assertThat(error.get("retryable").booleanValue()).isTrue();
        eventually().untilAsserted(() -> assertThat(interrupted).containsExactly("slow"));
        assertThat(fixture.step(task, "slow").results()).isNull();
        assertThat(worker.eventSystem().counters().withdrawn()).isEqualTo(1);
    }

    @Test
    void aCompletionAfterTheTimeoutIsDropped() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: late
                version: 1.0.0
                steps:
                  - name: late
                    handler: {callable: other.Late}
                    timeout_seconds: 1
                    retry: {max_attempts: 1}
                """, ns);
        List<StepExecutionEvent> taken = new CopyOnWriteArrayList<>();
        WorkerSystemHandle worker = fixture.start(config(ns), new StepHandlerRegistry(), new StepExecutionSubscriber() {
            @Override
            public boolean accepts(String callable) {
                return callable.startsWith("other.");
            }

            @Override
            public void onStepExecution(StepExecutionEvent event) {
                taken.add(event);
            }
        });

        UUID task = fixture.createTask(ns, "late", "{}");

        fixture.awaitTaskState(task, "error");
        boolean accepted = worker.eventSystem().publishCompletion(
                StepExecutionCompletionEvent.success(taken.getFirst(), null, null));
        assertThat(accepted).isFalse();
        assertThat(worker.eventSystem().counters().unknownCompletions()).isEqualTo(1);
        assertThat(fixture.step(task, "late").state()).isEqualTo("error");
    }

    @ParameterizedTest
    @EnumSource(value = DeploymentMode.class, names = {"POLLING", "EVENT_DRIVEN"})
    void everyDeploymentModeCompletesATaskCreatedWhileItRuns(DeploymentMode mode) {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: pair
                version: 1.0.0
                identity_strategy: always_unique
                steps:
                  - {name: first, handler: {callable: test.Echo}}
                  - {name: second, handler: {callable: test.Echo}, depends_on: [first]}
                """, ns);
        fixture.start(config(ns).deploymentMode(mode), new StepHandlerRegistry()
                .register("test.Echo", () -> context -> StepHandlerResult.success(context.stepName())));

        UUID first = fixture.createTask(ns, "pair", "{}");
        fixture.awaitTaskState(first, "complete");
        // The worker has claimed everything there was and sleeps: only a notification or a poll wakes it now.
        UUID second = fixture.createTask(ns, "pair", "{}");

        fixture.awaitTaskState(second, "complete");
        assertThat(fixture.step(second, "second").results().asText()).isEqualTo("second");
    }

    @Test
    void aHandlerReturningNullSucceedsWithAJsonNullResult() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: quiet
                version: 1.0.0
                steps:
                  - {name: quiet, handler: {callable: test.Quiet}}
                  - {name: after, handler: {callable: test.After}, depends_on: [quiet]}
                """, ns);
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        fixture.start(config(ns), new StepHandlerRegistry()
                .register("test.Quiet", () -> context -> null)
                .register("test.After", () -> context -> {
                    seen.add(context.dependencyResult("quiet"));
                    return StepHandlerResult.success(Map.of());
                }));

        UUID task = fixture.createTask(ns, "quiet", "{}");

        fixture.awaitTaskState(task, "complete");
        assertThat(fixture.step(task, "quiet").results().isNull()).isTrue();
        assertThat(seen).singleElement().satisfies(result -> assertThat(result.isNull()).isTrue());
    }

    @Test
    void aResultThatIsNotJsonFailsTheStepPermanently() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: unserializable
                version: 1.0.0
                steps:
                  - {name: cyclic, handler: {callable: test.Cyclic}}
                """, ns);
        fixture.start(config(ns), new StepHandlerRegistry()
                .register("test.Cyclic", () -> context -> StepHandlerResult.success(new Cyclic())));

        UUID task = fixture.createTask(ns, "unserializable", "{}");

        fixture.awaitTaskState(task, "error");
        JsonNode error = fixture.step(task, "cyclic").lastError();
        assertThat(error.get("message").asText())
                .startsWith("the step's result (a " + Cyclic.class.getName() + ") cannot be converted to JSON");
        assertThat(error.get("retryable").booleanValue()).isFalse();
    }

    @Test
    void aResultTheDatabaseCannotHoldIsRecordedAsAFailure() {
        String ns = newNamespace();
        fixture.register("""
                namespace: %s
                name: nul
                version: 1.0.0
                steps:
                  - {name: nul, handler: {callable: test.Nul}}
                """, ns);
        fixture.start(config(ns), new StepHandlerRegistry()
                .register("test.Nul", () -> context -> StepHandlerResult.success("a\u0000b")));

        UUID task = fixture.createTask(ns, "nul", "{}");

        fixture.awaitTaskState(task, "error");
        JsonNode error = fixture.step(task, "nul").lastError();
        assertThat(error.get("message").asText()).isEqualTo("the step's result cannot be stored: $.result: a string "
                + "with the character U+0000, which PostgreSQL cannot store");
        assertThat(error.get("error_type").asText()).isEqualTo("ResultNotStorable");
        assertThat(error.get("retryable").booleanValue()).isFalse();
    }

    @Test
    void aStepThatCannotBePreparedGetsARecordedFailureNotALostClaim() {
        String ns = newNamespace();
        // A task whose template definition is unreadable: preparing its step must fail, visibly.
        UUID task = TaskRows.task(fixture.dataSource(), ns, TaskState.IN_PROGRESS);
        List<UUID> steps = TaskRows.steps(fixture.dataSource(), task, ns, StepState.ENQUEUED, 1);
        List<String> ran = new CopyOnWriteArrayList<>();
        fixture.start(config(ns), new StepHandlerRegistry().register(TaskRows.HANDLER, () -> context -> {
            ran.add(context.stepName());
            return null;
        }));

        eventually().until(() -> TaskRows.stepState(fixture.dataSource(), steps.getFirst()).equals("waiting_for_retry"));
        JsonNode error = fixture.steps(task).values().iterator().next().lastError();
        assertThat(error.get("message").asText()).startsWith("cannot prepare step '")
                .contains("the template of task " + task + " cannot be read");
        assertThat(error.get("retryable").booleanValue()).isTrue();
        assertThat(ran).isEmpty();
    }

    /** Refers to itself, so it has no JSON form. */
    public static final class Cyclic {
        public Cyclic getSelf() {
            return this;
        }
    }
}
