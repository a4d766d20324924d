"use strict";

// Unit tests of the operator's actions and the API calls' headers, run by WebUiScriptsTest through `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
globalThis.TaskerUi = require("../../main/resources/web/ui.js");
const Actions = require("../../main/resources/web/actions.js");
const Api = require("../../main/resources/web/api.js");

test("a task can be cancelled until it is final", () => {
  for (const state of ["pending", "in_progress", "error"]) assert.deepEqual(Actions.forTask({ state }), ["cancel"], state);
  for (const state of ["complete", "cancelled", "resolved_manually"]) assert.deepEqual(Actions.forTask({ state }), [], state);
});

test("only a step in error can be retried, resolved or completed", () => {
  assert.deepEqual(Actions.forStep({ state: "error" }), ["retry", "resolve", "complete"]);
  for (const state of ["pending", "enqueued", "in_progress", "waiting_for_retry", "complete", "cancelled",
    "resolved_manually"]) {
    assert.deepEqual(Actions.forStep({ state }), [], state);
  }
});

test("each action goes to its route, and needs the scope the API gives it", () => {
  const step = { step_uuid: "01a2-step", name: "pay" };

  assert.equal(Actions.path("cancel", "01a2-task", null), "/v1/tasks/01a2-task/cancel");
  assert.equal(Actions.path("retry", "01a2-task", step), "/v1/tasks/01a2-task/steps/01a2-step/retry");
  assert.equal(Actions.path("complete", "t/..", step), "/v1/tasks/t%2F../steps/01a2-step/complete");
  assert.deepEqual(Object.fromEntries(Object.entries(Actions.ACTIONS).map(([name, spec]) => [name, spec.scope])),
    { cancel: "write", retry: "write", resolve: "admin", complete: "admin" });
});

test("nothing to say sends no body; a reason is sent as a JSON string", () => {
  assert.equal(Actions.body("", undefined), undefined);
  assert.equal(Actions.body("   ", undefined), undefined);
  assert.equal(Actions.body(' the "gateway" is back ', undefined), '{"reason": "the \\"gateway\\" is back"}');
});

test("a result is sent as written, so its numbers keep every digit", () => {
  const result = '{"amount": 12345678901234567890.10, "id": "PAY-1"}';

  const sent = Actions.body("by hand", result);

  assert.equal(sent, `{"result": ${result}, "reason": "by hand"}`);
  assert.equal(TaskerUi.formatJson(TaskerUi.parseJson(sent).result.amount), "12345678901234567890.10");
  assert.equal(Actions.body("", " null "), '{"result": null}');
});

test("a result that is not JSON is refused before anything is sent", () => {
  assert.throws(() => Actions.body("", "{amount: 1}"), SyntaxError);
  assert.throws(() => Actions.body("", ""), SyntaxError);
});

test("API calls ask for JSON, say when they send it, and carry the token when there is one", () => {
  assert.deepEqual(Api.headers(null, false), { Accept: "application/json" });
  assert.deepEqual(Api.headers("tasker_abc", true), {
    Accept: "application/json", "Content-Type": "application/json", Authorization: "Bearer tasker_abc",
  });
});
