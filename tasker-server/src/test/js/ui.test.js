"use strict";

// Unit tests of the pages' shared helpers, run by WebUiScriptsTest through `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
const TaskerUi = require("../../main/resources/web/ui.js");

test("big numbers in results keep every digit", () => {
  const text = '{"value": 340282366920938463463374607431768211456, "ratio": 0.1000000000000000055511151231257827, "n": 6}';

  const parsed = TaskerUi.parseJson(text);

  assert.ok(parsed.value instanceof TaskerUi.JsonNumber);
  assert.equal(parsed.n, 6);
  assert.equal(TaskerUi.formatJson(parsed), '{\n  "value": 340282366920938463463374607431768211456,\n'
    + '  "ratio": 0.1000000000000000055511151231257827,\n  "n": 6\n}');
});

test("everything else parses as JSON.parse parses it", () => {
  const text = '{"a": [1, -2.5, 1e3, true, false, null, "x\\"y\\u00e9"], "b": {}, "c": [], "d": {"e": "f"}}';

  const parsed = TaskerUi.parseJson(text);

  assert.deepEqual({ ...parsed, a: parsed.a.map((v) => (v instanceof TaskerUi.JsonNumber ? Number(v.text) : v)) },
    JSON.parse(text));
  assert.equal(TaskerUi.formatJson(parsed.a[2]), "1e3", "a number is shown as it was written");
});

test("a key named __proto__ is data, as with JSON.parse", () => {
  const parsed = TaskerUi.parseJson('{"__proto__": {"polluted": true}}');

  assert.deepEqual(Object.keys(parsed), ["__proto__"]);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
});

test("malformed JSON is refused with where", () => {
  for (const text of ["{", '{"a" 1}', "[1,]", "01", '"unterminated', "{} x"]) {
    assert.throws(() => TaskerUi.parseJson(text), SyntaxError, text);
  }
});

test("states and durations read as words", () => {
  assert.equal(TaskerUi.stateLabel("waiting_for_retry"), "waiting for retry");
  assert.equal(TaskerUi.formatDuration(12.4), "12 ms");
  assert.equal(TaskerUi.formatDuration(3250), "3.3 s");
  assert.equal(TaskerUi.formatDuration(245_000), "4 min 5 s");
  assert.equal(TaskerUi.formatDuration(7_380_000), "2 h 3 min");
  assert.equal(TaskerUi.formatTime(null), "");
});

test("the quoted parts of a message are code", () => {
  assert.deepEqual(TaskerUi.codeParts("no live worker runs `Greetings::SayHelo`"), [
    { text: "no live worker runs ", code: false },
    { text: "Greetings::SayHelo", code: true },
  ]);
  assert.deepEqual(TaskerUi.codeParts("plain"), [{ text: "plain", code: false }]);
  assert.deepEqual(TaskerUi.codeParts("`a` and `b`"), [
    { text: "a", code: true }, { text: " and ", code: false }, { text: "b", code: true },
  ]);
});

test("a step's type is said after its name, a standard step's not at all", () => {
  assert.equal(TaskerUi.typeWords({ type: "decision" }), " (decision)");
  assert.equal(TaskerUi.typeWords({ type: "deferred_convergence" }), " (deferred convergence)");
  assert.equal(TaskerUi.typeWords({ type: "batch_worker" }), " (batch worker)");
  assert.equal(TaskerUi.typeWords({ type: "standard" }), "");
  assert.equal(TaskerUi.typeWords({}), "");
});
