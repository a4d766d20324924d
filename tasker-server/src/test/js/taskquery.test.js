"use strict";

// Unit tests of the task list's filters, address and cursor paging, run by WebUiScriptsTest through `node --test`.
const test = require("node:test");
const assert = require("node:assert/strict");
const Query = require("../../main/resources/web/taskquery.js");

test("an address's filters, page size and cursor become a view, and the view the same address", () => {
  const search = "?state=error&namespace=examples&name=order_fulfillment&q=01a2&initiator=ops"
    + "&correlation_id=4f2a6c1e-0000-4000-8000-000000000001&created_from=2026-11-01T00%3A00%3A00.000Z"
    + "&created_to=2026-11-02T00%3A00%3A00.000Z&limit=20&cursor=abc";

  const view = Query.fromSearch(search);

  assert.deepEqual(view.filters, {
    state: "error", namespace: "examples", name: "order_fulfillment", q: "01a2", initiator: "ops",
    correlation_id: "4f2a6c1e-0000-4000-8000-000000000001", created_from: "2026-11-01T00:00:00.000Z",
    created_to: "2026-11-02T00:00:00.000Z",
  });
  assert.equal(view.limit, 20);
  assert.equal(view.cursor, "abc");
  assert.equal(Query.toSearch(view), search);
});

test("empty and unknown parameters are no filter, and a page size out of range is the default", () => {
  const view = Query.fromSearch("?state=&namespace=%20%20&colour=red&limit=9000");

  assert.deepEqual(view, { filters: {}, limit: Query.DEFAULT_LIMIT, cursor: null });
  assert.equal(Query.toSearch(view), "");
  assert.equal(Query.isFiltered(view), false);
  assert.equal(Query.fromSearch("?limit=0").limit, Query.DEFAULT_LIMIT);
  assert.equal(Query.fromSearch("?limit=2.5").limit, Query.DEFAULT_LIMIT);
});

test("the API request always names the page size and carries the cursor", () => {
  assert.equal(Query.apiPath(Query.fromSearch("")), "/v1/tasks?limit=50");
  assert.equal(Query.apiPath(Query.fromSearch("?cursor=x%2By&state=pending,in_progress")),
    "/v1/tasks?state=pending%2Cin_progress&limit=50&cursor=x%2By");
});

test("a filter form starts at the first page, with its local times as instants", () => {
  const local = "2026-11-28T09:30:15";

  const view = Query.fromForm([["state", "error"], ["name", " order_fulfillment "], ["q", ""],
    ["created_from", local], ["unrelated", "x"]], 20);

  assert.deepEqual(view.filters, { state: "error", name: "order_fulfillment", created_from: new Date(local).toISOString() });
  assert.equal(view.cursor, null);
  assert.equal(view.limit, 20);
  assert.equal(Query.localInput(view.filters.created_from), local, "the form shows again what was typed");
});

test("a time the browser cannot read goes to the API as typed, which says what is wrong", () => {
  assert.equal(Query.fromForm([["created_to", "yesterday"]]).filters.created_to, "yesterday");
  assert.equal(Query.instant(""), null);
  assert.equal(Query.localInput(""), "");
  assert.equal(Query.localInput("not a time"), "");
});

test("next and previous pages walk the trail of cursors, and count the pages", () => {
  const first = { view: Query.fromSearch("?state=error"), trail: [] };
  assert.equal(Query.pageNumber(first.view, first.trail), 1);

  const second = Query.nextPage(first.view, first.trail, "c2");
  const third = Query.nextPage(second.view, second.trail, "c3");

  assert.equal(third.view.cursor, "c3");
  assert.deepEqual(third.trail, [null, "c2"]);
  assert.equal(third.view.filters.state, "error", "paging keeps the filters");
  assert.equal(Query.pageNumber(third.view, third.trail), 3);
  const back = Query.previousPage(third.view, third.trail);
  assert.deepEqual(back, second);
  assert.deepEqual(Query.previousPage(back.view, back.trail), first);
});

test("a page reached through a shared address goes back to the first page, its number unknown", () => {
  const shared = Query.fromSearch("?cursor=c7");

  assert.equal(Query.pageNumber(shared, []), null);
  const later = Query.nextPage(shared, [], "c8");
  assert.equal(Query.pageNumber(later.view, later.trail), null);
  const back = Query.previousPage(later.view, later.trail);
  assert.equal(back.view.cursor, "c7");
  assert.deepEqual(Query.previousPage(back.view, back.trail), { view: { ...shared, cursor: null }, trail: [] });
});
