"use strict";

// Unit tests of the DAG layout, run by WebUiScriptsTest through `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
globalThis.TaskerUi = require("../../main/resources/web/ui.js");
const TaskerDag = require("../../main/resources/web/dag.js");

const step = (name, ...dependsOn) => ({ name, depends_on: dependsOn });
const boxOf = (plan, name) => plan.boxes.find((box) => box.name === name);
const middle = (box) => box.y + box.height / 2;

test("a chain is one row, each step a column right of the one it waits for", () => {
  const plan = TaskerDag.layout([step("a"), step("b", "a"), step("c", "b"), step("d", "c")]);

  const boxes = ["a", "b", "c", "d"].map((name) => boxOf(plan, name));
  assert.deepEqual(new Set(boxes.map((box) => box.y)).size, 1);
  boxes.slice(1).forEach((box, i) => assert.ok(box.x > boxes[i].x + boxes[i].width));
  assert.deepEqual(plan.edges.map((edge) => `${edge.from}>${edge.to}`), ["a>b", "b>c", "c>d"]);
  assert.ok(plan.width >= boxes[3].x + boxes[3].width);
});

test("a diamond puts the branches in one column and centres the ends between them", () => {
  const plan = TaskerDag.layout([step("start"), step("left", "start"), step("right", "start"),
    step("end", "left", "right")]);

  const [start, left, right, end] = ["start", "left", "right", "end"].map((name) => boxOf(plan, name));
  assert.equal(left.x, right.x);
  assert.ok(left.y + left.height <= right.y, "the branches do not overlap");
  assert.equal(middle(start), (middle(left) + middle(right)) / 2);
  assert.equal(middle(end), middle(start));
});

test("an arrow that skips a column is routed through a waypoint, not through a box", () => {
  const plan = TaskerDag.layout([step("a"), step("b", "a"), step("c", "a", "b")]);

  assert.deepEqual(TaskerDag.columns([step("a"), step("b", "a"), step("c", "a", "b")]),
    new Map([["a", 0], ["b", 1], ["c", 2]]));
  const skip = plan.edges.find((edge) => edge.from === "a" && edge.to === "c");
  assert.match(skip.path, / L /);
  const direct = plan.edges.find((edge) => edge.from === "b" && edge.to === "c");
  assert.doesNotMatch(direct.path, / L /);
  assert.notEqual(boxOf(plan, "b").y, boxOf(plan, "a").y, "b moves aside for the arrow from a to c");
});

test("children are ordered like their parents, so parallel chains do not cross", () => {
  // Template order lists the second chain's child first.
  const plan = TaskerDag.layout([step("first"), step("second"), step("after_second", "second"),
    step("after_first", "first")]);

  assert.ok(boxOf(plan, "first").y < boxOf(plan, "second").y);
  assert.ok(boxOf(plan, "after_first").y < boxOf(plan, "after_second").y);
});

test("boxes never overlap and all fit in the picture", () => {
  const steps = [step("a"), step("b"), step("c", "a"), step("d", "a", "b"), step("e", "b"),
    step("f", "c", "d", "e"), step("g", "a"), step("h", "f", "g")];
  const plan = TaskerDag.layout(steps);

  for (const one of plan.boxes) {
    assert.ok(one.x >= 0 && one.y >= 0 && one.x + one.width <= plan.width && one.y + one.height <= plan.height);
    for (const other of plan.boxes) {
      if (one === other) continue;
      const apart = one.x + one.width <= other.x || other.x + other.width <= one.x
        || one.y + one.height <= other.y || other.y + other.height <= one.y;
      assert.ok(apart, `${one.name} and ${other.name} overlap`);
    }
  }
  assert.equal(plan.edges.length, 10);
});

test("dependencies that are not steps of the task, and cycles, are drawn without hanging", () => {
  const plan = TaskerDag.layout([step("a", "missing", "a"), step("b", "c"), step("c", "b")]);

  assert.equal(plan.boxes.length, 3);
  assert.ok(plan.edges.every((edge) => edge.from !== "missing" && edge.from !== edge.to));
});

test("no steps draw an empty picture", () => {
  const plan = TaskerDag.layout([]);

  assert.deepEqual(plan.boxes, []);
  assert.ok(plan.width > 0 && plan.height > 0);
});

test("the shape changes when a decision creates steps, not when a step changes state", () => {
  const before = [{ ...step("route"), state: "in_progress" }];
  const decided = [{ ...step("route"), state: "complete" }];
  const grown = [...decided, { ...step("approve", "route"), state: "enqueued" }];

  assert.equal(TaskerDag.shape(decided), TaskerDag.shape(before));
  assert.notEqual(TaskerDag.shape(grown), TaskerDag.shape(decided));
});
