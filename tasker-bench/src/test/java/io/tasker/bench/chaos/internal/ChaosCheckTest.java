package io.tasker.bench.chaos.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.bench.chaos.internal.ChaosData.AttemptRow;
import io.tasker.bench.chaos.internal.ChaosData.PlannedTask;
import io.tasker.bench.chaos.internal.ChaosData.StepRow;
import io.tasker.bench.chaos.internal.ChaosData.TaskRow;
import io.tasker.core.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks catch what they are there to catch: each test plants one fault in the data of a
 * clean run (one diamond task, each step run once by one worker process) and expects that one
 * finding, and only it.
 */
class ChaosCheckTest {
    private static final Workflow DIAMOND = Workflow.named("diamond");
    private static final long INPUT = 12_345;
    private static final long WORKER = 100;
    private static final long OTHER_WORKER = 200;
    private static final long LEASE = 10_000_000;

    /** A clean run's data, as plain lists to plant faults in. */
    private static final class Run {
        final UUID taskId = UUID.randomUUID();
        final List<PlannedTask> planned = new ArrayList<>();
        final List<TaskRow> tasks = new ArrayList<>();
        final List<StepRow> steps = new ArrayList<>();
        final List<AttemptRow> attempts = new ArrayList<>();
        final Map<UUID, Integer> transitions = new HashMap<>();
        final List<Execution> executions = new ArrayList<>();
        final List<ProcessLife> processes = new ArrayList<>();
        final List<Fault> faults = new ArrayList<>();
        final Map<String, UUID> stepIds = new HashMap<>();

        Run() {
            planned.add(new PlannedTask(0, Workflow.JAVA_NAMESPACE, DIAMOND, INPUT, taskId));
            tasks.add(new TaskRow(taskId, Workflow.JAVA_NAMESPACE, DIAMOND.name(), "complete",
                    Json.parse("{\"input\": " + INPUT + ", \"n\": 0}")));
            Map<String, Long> values = DIAMOND.expectedValues(INPUT);
            long time = 1_000_000;
            for (Workflow.Step step : DIAMOND.steps()) {
                UUID id = UUID.randomUUID();
                stepIds.put(step.name(), id);
                String run = "j" + WORKER + "-" + step.name();
                ObjectNode result = Json.MAPPER.createObjectNode().put("value", values.get(step.name()))
                        .put("run", run);
                ObjectNode seen = result.putObject("seen");
                step.parents().forEach(parent -> seen.put(parent, "j" + WORKER + "-" + parent));
                executions.add(new Execution(id, 1, run, WORKER, time, time + 100_000, "ok"));
                steps.add(new StepRow(id, taskId, step.name(), "complete", 1, "worker-a", result, time + 150_000));
                time += 200_000;
            }
            transitions.put(taskId, 1);
            processes.add(new ProcessLife("worker-1", WORKER, 0, 50_000_000L, ProcessLife.Ending.STOPPED, 0));
            processes.add(new ProcessLife("worker-2", OTHER_WORKER, 0, 50_000_000L, ProcessLife.Ending.STOPPED, 0));
        }

        StepRow step(String name) {
            return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        }

        void replaceStep(String name, StepRow row) {
            steps.set(steps.indexOf(step(name)), row);
        }

        Verdict check() {
            return ChaosCheck.check(new ChaosData(planned, tasks, steps, attempts, transitions, executions, processes,
                    faults, LEASE, 1_000_000, 60_000_000));
        }
    }

    @Test
    void aCleanRunPasses() {
        Verdict verdict = new Run().check();

        assertThat(verdict.passed()).as(verdict.toString()).isTrue();
        assertThat(verdict.completed()).isEqualTo(1);
        assertThat(verdict.reExecutionCount()).isZero();
    }

    @Test
    void aTaskMissingFromTheDatabaseIsLost() {
        Run run = new Run();
        run.tasks.clear();

        Verdict verdict = run.check();

        assertThat(verdict.findings().lost()).singleElement().asString().contains("the database has no such task");
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void aTaskNeverCreatedOrNotCompleteIsLost() {
        Run run = new Run();
        run.planned.add(new PlannedTask(1, Workflow.RUBY_NAMESPACE, DIAMOND, 7, null));
        TaskRow task = run.tasks.getFirst();
        run.tasks.set(0, new TaskRow(task.id(), task.namespace(), task.name(), "error", task.context()));

        Verdict verdict = run.check();

        assertThat(verdict.findings().lost()).hasSize(2);
        List<String> lost = verdict.findings().lost();
        assertThat(lost).anySatisfy(line -> assertThat(line).contains("task #1").contains("never created"));
        assertThat(lost).anySatisfy(line -> assertThat(line).contains("task #0").contains("error"));
    }

    @Test
    void aWrongValueIsFound() {
        Run run = new Run();
        StepRow d = run.step("d");
        ((ObjectNode) d.results()).put("value", d.results().get("value").asLong() + 1);

        Verdict verdict = run.check();

        assertThat(verdict.findings().wrong()).singleElement().asString().contains("step d").contains("recorded value");
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void twoExecutionsAtOnceAreAConcurrentRunUnlessTheFirstLeaseHadExpired() {
        Run run = new Run();
        Execution first = run.executions.stream().filter(e -> e.run().endsWith("-b")).findFirst().orElseThrow();
        // A second worker starts b while the first still runs it, at a later attempt, and its result is recorded.
        Execution second = new Execution(first.step(), 2, "j" + OTHER_WORKER + "-b", OTHER_WORKER,
                first.startMicros() + 50_000, first.endMicros() + 10_000, "ok");
        run.executions.add(second);
        StepRow b = run.step("b");
        ((ObjectNode) b.results()).put("run", second.run());
        run.replaceStep("b", new StepRow(b.id(), b.task(), b.name(), b.state(), 2, "worker-b", b.results(),
                second.endMicros() + 1_000));
        ((ObjectNode) run.step("d").results().get("seen")).put("b", second.run());

        Verdict concurrent = run.check();
        run.attempts.add(new AttemptRow(b.id(), 1, "worker-a", "enqueued", "lease_expired"));
        Verdict afterExpiry = run.check();

        assertThat(concurrent.findings().overlaps()).singleElement().asString()
                .contains("step b").contains("overlap by 50 ms").contains("no end of attempt 1");
        assertThat(concurrent.passed()).isFalse();
        assertThat(afterExpiry.findings().overlaps()).isEmpty();
        assertThat(afterExpiry.findings().overlapsAfterLeaseExpiry()).hasSize(1);
    }

    @Test
    void aRecordedResultThatNoExecutionOfThatAttemptReturnedIsRecordedTwice() {
        Run run = new Run();
        StepRow c = run.step("c");
        run.replaceStep("c", new StepRow(c.id(), c.task(), c.name(), c.state(), 2, c.claimedBy(), c.results(),
                c.completedMicros()));

        Verdict verdict = run.check();

        assertThat(verdict.findings().recordedTwice()).singleElement().asString()
                .contains("step c").contains("recorded at attempt 2").contains("attempt 1");
    }

    @Test
    void aChildThatReadAnotherResultThanTheOneRecordedShowsARecordingTwice() {
        Run run = new Run();
        ((ObjectNode) run.step("d").results().get("seen")).put("c", "j999-c");

        Verdict verdict = run.check();

        assertThat(verdict.findings().recordedTwice()).singleElement().asString()
                .contains("read the result of its parent c from run j999-c");
    }

    @Test
    void anExecutionAfterTheResultWasRecordedAndATaskFinishedTwiceAreFound() {
        Run run = new Run();
        StepRow a = run.step("a");
        run.executions.add(new Execution(a.id(), 2, "j" + OTHER_WORKER + "-late", OTHER_WORKER,
                a.completedMicros() + 5_000_000, a.completedMicros() + 5_100_000, "ok"));
        run.transitions.put(run.taskId, 2);

        Verdict verdict = run.check();

        assertThat(verdict.findings().recordedTwice()).hasSize(2);
        List<String> recordedTwice = verdict.findings().recordedTwice();
        assertThat(recordedTwice).anySatisfy(line -> assertThat(line).contains("started 5000 ms after"));
        assertThat(recordedTwice).anySatisfy(line -> assertThat(line).contains("finished 2 times"));
        assertThat(verdict.findings().unexpected()).singleElement().asString().contains("no fault explains it");
    }

    @Test
    void reExecutionsArePutDownToTheFaultThatCausedThem() {
        Run run = new Run();
        StepRow b = run.step("b");
        Execution recorded = run.executions.stream().filter(e -> e.run().endsWith("-b")).findFirst().orElseThrow();
        // worker 300 ran b first and was killed (fault 1) before it ended; the lease ran out, then worker 100 ran it.
        long killedAt = recorded.startMicros() - LEASE - 1_000_000;
        run.processes.add(new ProcessLife("worker-1", 300, 0, killedAt, ProcessLife.Ending.KILLED, 1));
        run.faults.add(new Fault(1, FaultKind.WORKER_KILL, "worker-1 (pid 300)", 300, killedAt - 1_000, killedAt));
        run.executions.add(new Execution(b.id(), 1, "j300-b", 300, killedAt - 200_000, null, null));
        // And worker 200 ran c, which ended while nobody did anything to anything.
        StepRow c = run.step("c");
        run.executions.add(new Execution(c.id(), 1, "j200-c", OTHER_WORKER, 10, 20L, "ok"));

        Verdict verdict = run.check();

        assertThat(verdict.reExecutions()).isEqualTo(Map.of(Cause.KILLED_RUNNING, 1, Cause.UNEXPLAINED, 1));
        assertThat(verdict.reExecutionsByFault()).isEqualTo(Map.of(1, 1));
        assertThat(verdict.findings().unexpected()).singleElement().asString().contains("step c").contains("j200-c");
        assertThat(verdict.findings().overlaps()).isEmpty();
    }

    @Test
    void journalLinesPairIntoExecutionsAndAMissingEndIsACutExecution() {
        UUID step = UUID.randomUUID();
        List<Execution> executions = ExecutionRecords.parse(List.of(
                "start\t" + step + "\t1\tj1-1\t1\t100",
                "start\t" + step + "\t2\tr2-1\t2\t300",
                "end\t" + step + "\t1\tj1-1\t1\t200\tok"));

        assertThat(executions).containsExactly(
                new Execution(step, 1, "j1-1", 1, 100, 200L, "ok"),
                new Execution(step, 2, "r2-1", 2, 300, null, null));
    }
}
