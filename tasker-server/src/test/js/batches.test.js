"use strict";

// Unit tests of a batch's instances shown as one group, run by WebUiScriptsTest through `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
globalThis.TaskerUi = require("../../main/resources/web/ui.js");
const TaskerBatches = require("../../main/resources/web/batches.js");
const TaskerDag = require("../../main/resources/web/dag.js");

const step = (name, dependsOn = [], more = {}) => ({ name, depends_on: dependsOn, state: "complete", ...more });
const id = (k) => String(k).padStart(3, "0");

/** A task as the API shows one whose batchable step created `n` instances, the first states as given. */
function batchTask(n, stateOf = () => "complete", convergenceDependsOn = null) {
  const instances = Array.from({ length: n }, (_, i) => step(`process_csv_batch_${id(i + 1)}`, ["analyze_csv"], {
    type: "batch_worker",
    state: stateOf(i),
    batch: {
      worker_template: "process_csv_batch", batch_id: id(i + 1), no_op: false,
      cursor: { batch_id: id(i + 1), start_cursor: i * 100, end_cursor: (i + 1) * 100, batch_size: 100 },
    },
  }));
  return [
    step("analyze_csv", [], { type: "batchable" }),
    ...instances,
    step("aggregate_results", convergenceDependsOn || instances.map((instance) => instance.name),
      { type: "deferred_convergence", state: "pending" }),
  ];
}

test("10,000 instances are one node with their counts by state", () => {
  const steps = batchTask(10000, (i) => (i < 9990 ? "complete" : i < 9995 ? "in_progress" : i < 9998 ? "enqueued" : "error"));

  const view = TaskerBatches.display(steps);

  assert.deepEqual(view.steps.map((s) => s.name), ["analyze_csv", "process_csv_batch", "aggregate_results"]);
  const group = view.groups.get("process_csv_batch");
  assert.equal(group.count, 10000);
  assert.equal(group.label, "process_csv_batch \u00d7 10,000");
  assert.deepEqual(group.counts, [["enqueued", 3], ["in_progress", 5], ["complete", 9990], ["error", 2]]);
  assert.equal(TaskerBatches.countWords(group), "3 enqueued, 5 in progress, 9,990 complete, 2 error");
  assert.equal(group.state, "error", "an instance in error shows the group in error");
  assert.equal(view.groupOf.get("process_csv_batch_0042"), undefined);
  assert.equal(view.groupOf.get("process_csv_batch_042"), group);
});

test("the group has its instances' parents and children, one edge each", () => {
  const view = TaskerBatches.display(batchTask(10000));

  const plan = TaskerDag.layout(view.steps);

  assert.equal(plan.boxes.length, 3);
  assert.deepEqual(plan.edges.map((edge) => `${edge.from}>${edge.to}`),
    ["analyze_csv>process_csv_batch", "process_csv_batch>aggregate_results"]);
  const box = plan.boxes.find((b) => b.name === "process_csv_batch");
  assert.equal(box.label, "process_csv_batch \u00d7 10,000");
  assert.equal(box.lines, TaskerBatches.COUNT_LINES);
  assert.ok(box.height > TaskerDag.BOX.height, "the counts make the box taller");
  assert.equal(TaskerDag.nameText(box), "process_csv_batch \u00d7 10,000");
});

test("a convergence that names the worker template waits for the group too", () => {
  const view = TaskerBatches.display(batchTask(3, () => "complete", ["process_csv_batch"]));

  assert.deepEqual(view.steps.find((s) => s.name === "aggregate_results").depends_on, ["process_csv_batch"]);
  assert.equal(view.groups.get("process_csv_batch").state, "complete");
});

test("a task without batches is drawn as it is", () => {
  const steps = [step("a"), step("b", ["a"], { type: "decision" })];

  const view = TaskerBatches.display(steps);

  assert.equal(view.steps, steps);
  assert.equal(view.groups.size, 0);
});

test("counts change without a new shape, so the graph is restyled, not drawn again", () => {
  const running = TaskerBatches.display(batchTask(500, (i) => (i < 100 ? "complete" : "enqueued")));
  const later = TaskerBatches.display(batchTask(500, (i) => (i < 400 ? "complete" : "in_progress")));
  const before = TaskerBatches.display(batchTask(0));

  assert.equal(TaskerDag.shape(later.steps), TaskerDag.shape(running.steps));
  assert.notEqual(TaskerDag.shape(running.steps), TaskerDag.shape(before.steps), "instances appearing draw a group");
  assert.equal(running.groups.get("process_csv_batch").state, "in_progress");
  assert.deepEqual(TaskerBatches.countSlots(later.groups.get("process_csv_batch")), ["100 in progress", "400 complete"]);
});

test("a box has slots for six counts; more states than that sum up in the last", () => {
  const states = ["pending", "enqueued", "in_progress", "waiting_for_retry", "complete", "error", "cancelled"];
  const view = TaskerBatches.display(batchTask(states.length * 2, (i) => states[i % states.length]));

  assert.deepEqual(TaskerBatches.countSlots(view.groups.get("process_csv_batch")),
    ["2 pending", "2 enqueued", "2 in progress", "2 waiting for retry", "2 complete", "4 more"]);
});

test("instances of two worker templates are two groups", () => {
  const second = batchTask(4).filter((s) => s.type === "batch_worker").map((s) => ({
    ...s, name: s.name.replace("process_csv_batch", "index_batch"),
    batch: { ...s.batch, worker_template: "index_batch" },
  }));

  const view = TaskerBatches.display([...batchTask(4), ...second]);

  assert.deepEqual([...view.groups.keys()], ["process_csv_batch", "index_batch"]);
  assert.deepEqual(view.groups.get("index_batch").depends_on, ["analyze_csv"]);
});

test("the instances listed first are those in error, then those running, at most the limit", () => {
  const group = TaskerBatches.display(batchTask(10000, (i) => (i === 7000 ? "error" : i === 5 ? "in_progress" : "complete")))
    .groups.get("process_csv_batch");

  const { shown, more } = TaskerBatches.firstInstances(group, 50);

  assert.equal(shown.length, 50);
  assert.equal(more, 9950);
  assert.deepEqual(shown.slice(0, 3).map((s) => s.name),
    ["process_csv_batch_7001", "process_csv_batch_006", "process_csv_batch_001"]);
});

test("the group's timeline bar spans its instances' attempts", () => {
  const group = TaskerBatches.display(batchTask(3, (i) => (i === 2 ? "in_progress" : "complete")))
    .groups.get("process_csv_batch");
  const at = (s) => new Date(Date.UTC(2026, 10, 28, 9, 0, s)).toISOString();
  const attempts = new Map([
    ["process_csv_batch_001", [{ attempt: 1, start: at(1), end: at(4), outcome: "complete" }]],
    ["process_csv_batch_002", [{ attempt: 1, start: at(2), end: at(3), outcome: "retried" },
      { attempt: 2, start: at(5), end: at(9), outcome: "complete" }]],
    ["process_csv_batch_003", [{ attempt: 1, start: at(6), end: null, outcome: "running" }]],
  ]);

  const span = TaskerBatches.span(group, attempts);

  assert.equal(span.start, at(1));
  assert.equal(span.end, null);
  assert.equal(span.outcome, "running");
  assert.match(span.title, /^process_csv_batch × 3: 4 attempts of 3 instances/);
  assert.equal(TaskerBatches.span(group, new Map()), null, "no bar before any instance ran");
});
