"use strict";

// Unit tests of the attempts and the timeline (Gantt) layout, run by WebUiScriptsTest through `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
globalThis.TaskerUi = require("../../main/resources/web/ui.js");
const Timeline = require("../../main/resources/web/timeline.js");

const at = (ms) => new Date(Date.UTC(2026, 10, 28, 9, 0, 0) + ms).toISOString();
const change = (subject, from, to, ms, metadata = null) => ({
  subject, from_state: from, to_state: to, metadata, created_at: at(ms),
});
const failure = (attempt, message, last = false) => ({
  worker: "w1", attempt, ...(last ? {} : { reason: "retry" }),
  error: { attempt, message, error_type: "RetryableException", retryable: true },
});

/** As the server records it: two failed attempts, the step in error, an operator's retry, then success. */
const HISTORY = [
  change("task", null, "in_progress", 0),
  change("pay", null, "enqueued", 0),
  change("pay", "enqueued", "in_progress", 10, { worker: "w1", attempt: 1 }),
  change("pay", "in_progress", "enqueued", 30, failure(1, "gateway down 1")),
  change("pay", "enqueued", "in_progress", 30, { worker: "w1", attempt: 2 }),
  change("pay", "in_progress", "error", 50, failure(2, "gateway down 2", true)),
  change("task", "in_progress", "error", 50, { reason: "steps_failed" }),
  change("pay", "error", "enqueued", 1000, { action: "retry", actor: "ops", reason: "back" }),
  change("task", "error", "in_progress", 1000, { action: "retry", actor: "ops" }),
  change("pay", "enqueued", "in_progress", 1010, { worker: "w2", attempt: 3 }),
  change("pay", "in_progress", "complete", 1100, { worker: "w2", attempt: 3 }),
  change("ship", null, "pending", 0),
  change("ship", "pending", "enqueued", 1100, {}),
  change("ship", "enqueued", "in_progress", 1105, { worker: "w2", attempt: 1 }),
];

test("each claim starts an attempt and the next change ends it, saying how", () => {
  const attempts = Timeline.attempts(HISTORY);

  assert.deepEqual([...attempts.keys()], ["pay", "ship"]);
  assert.deepEqual(attempts.get("pay").map((a) => [a.attempt, a.outcome, Timeline.errorMessage(a.error), a.worker]), [
    [1, "retried", "gateway down 1", "w1"],
    [2, "failed", "gateway down 2", "w1"],
    [3, "complete", null, "w2"],
  ]);
  assert.equal(attempts.get("pay")[0].start, at(10));
  assert.equal(attempts.get("pay")[0].end, at(30));
  const running = attempts.get("ship")[0];
  assert.equal(running.outcome, "running");
  assert.equal(running.end, null);
});

test("an attempt cancelled or stopped without an error says so", () => {
  const attempts = Timeline.attempts([
    change("a", "enqueued", "in_progress", 0, { attempt: 1 }),
    change("a", "in_progress", "enqueued", 5, { attempt: 1, reason: "lease_expired" }),
    change("a", "enqueued", "in_progress", 6, { attempt: 2 }),
    change("a", "in_progress", "cancelled", 9, { action: "cancel", actor: "ops" }),
  ]).get("a");

  assert.deepEqual(attempts.map((a) => [a.outcome, a.reason]), [["interrupted", "lease_expired"], ["cancelled", null]]);
  assert.equal(Timeline.describe(attempts[0]), "stopped (lease_expired) after 5 ms");
  assert.equal(Timeline.describe({ ...attempts[1], outcome: "retried", error: { message: "boom" } }),
    "failed, retried after 3 ms: boom");
});

test("errors read as their message, or as themselves", () => {
  assert.equal(Timeline.errorMessage(null), null);
  assert.equal(Timeline.errorMessage("plain"), "plain");
  assert.equal(Timeline.errorMessage({ message: "m", details: {} }), "m");
  assert.equal(Timeline.errorMessage({ code: 7 }), '{"code":7}');
});

test("the chart spans the task's life, to now while it runs", () => {
  const attempts = Timeline.attempts(HISTORY);
  const task = { created_at: at(0), completed_at: null };

  assert.deepEqual(Timeline.bounds(task, attempts, Date.parse(at(2000)), true),
    { from: Date.parse(at(0)), until: Date.parse(at(2000)) });
  const finished = Timeline.attempts(HISTORY.slice(0, 11));
  assert.deepEqual(Timeline.bounds({ created_at: at(0), completed_at: at(1150) }, finished, Date.parse(at(9999)), false),
    { from: Date.parse(at(0)), until: Date.parse(at(1150)) });
});

test("bars sit in their step's row, in time order, and a running one reaches the end", () => {
  const attempts = Timeline.attempts(HISTORY);
  const from = Date.parse(at(0));
  const until = Date.parse(at(1200));

  const plan = Timeline.layout(["pay", "ship", "never_ran"], attempts, from, until);

  assert.deepEqual(plan.rows.map((row) => row.name), ["pay", "ship", "never_ran"]);
  const pay = plan.bars.filter((bar) => bar.name === "pay");
  assert.equal(pay.length, 3);
  pay.slice(1).forEach((bar, i) => assert.ok(bar.x >= pay[i].x + pay[i].width - 0.001, "attempts do not overlap"));
  const row = (name) => plan.rows.find((r) => r.name === name);
  for (const bar of plan.bars) {
    assert.ok(bar.y >= row(bar.name).y && bar.y + bar.height <= row(bar.name).y + row(bar.name).height);
    assert.ok(bar.x + bar.width <= plan.width);
  }
  const ship = plan.bars.find((bar) => bar.name === "ship");
  assert.ok(Math.abs(ship.x + ship.width - plan.right) < 0.001, "a running attempt is drawn up to the end");
  assert.ok(Math.abs(pay[0].x - (plan.left + (10 / 1200) * (plan.right - plan.left))) < 0.001);
  assert.ok(plan.height >= row("never_ran").y + row("never_ran").height);
});

test("an attempt of a millisecond is still seen", () => {
  const attempts = Timeline.attempts([change("a", "enqueued", "in_progress", 0), change("a", "in_progress", "complete", 1)]);

  const plan = Timeline.layout(["a"], attempts, Date.parse(at(0)), Date.parse(at(3_600_000)));

  assert.ok(plan.bars[0].width >= 3);
});

test("ticks fall on round times, no more than a handful", () => {
  assert.equal(Timeline.tickStep(100), 20);
  assert.equal(Timeline.tickStep(4_000), 1_000);
  assert.equal(Timeline.tickStep(11 * 60_000), 5 * 60_000);
  assert.equal(Timeline.tickStep(9 * 24 * 3_600_000), 2 * 24 * 3_600_000);
  const plan = Timeline.layout(["a"], new Map(), 0, 4_000);
  assert.deepEqual(plan.ticks.map((tick) => tick.offset), [0, 1000, 2000, 3000, 4000]);
});
