"use strict";

/*
 * A batch's worker instances (steps of type batch_worker with a "batch" object, up to 100,000 of
 * them in one task) shown as one group per worker template: the graph draws one box and the
 * timeline one row for them, with counts by state, instead of a box per instance. Pure functions,
 * so Node can test them.
 */
const TaskerBatches = (() => {
  /** The order states are counted in, the order of the page's legend. */
  const STATES = ["pending", "enqueued", "in_progress", "waiting_for_retry", "complete", "error", "cancelled",
    "resolved_manually"];
  /** Lines of counts a group's box has below its name, two counts a line. */
  const COUNT_LINES = 3;
  const COUNT_SLOTS = 2 * COUNT_LINES;

  function isInstance(step) {
    return step.type === "batch_worker" && step.batch !== null && typeof step.batch === "object"
      && typeof step.batch.worker_template === "string";
  }

  /**
   * The steps to draw: every step that is not a batch instance as it is, and for each worker
   * template one group in place of its first instance. A group has the template's name (never a
   * step's name: the template is not created as a step itself), depends on what its instances
   * depend on, and every dependency on an instance, or on the template by name, becomes one on
   * the group. Answers {steps, groups: Map name -> group, groupOf: Map instance name -> group}.
   */
  function display(steps) {
    const groups = new Map();
    const groupOf = new Map();
    const shown = [];
    for (const step of steps) {
      if (!isInstance(step)) {
        shown.push(step);
        continue;
      }
      const name = step.batch.worker_template;
      let group = groups.get(name);
      if (!group) {
        group = { name, type: "batch_worker", group: true, instances: [], depends_on: [] };
        groups.set(name, group);
        shown.push(group);
      }
      group.instances.push(step);
      groupOf.set(step.name, group);
    }
    if (groups.size === 0) return { steps, groups, groupOf };

    const renamed = (dependencies) => [...new Set((dependencies || [])
      .map((name) => (groupOf.has(name) ? groupOf.get(name).name : name)))];
    for (const group of groups.values()) {
      group.depends_on = renamed(group.instances.flatMap((instance) => instance.depends_on || []))
        .filter((name) => name !== group.name);
      summarize(group);
    }
    return {
      steps: shown.map((step) => (step.group ? step : { ...step, depends_on: renamed(step.depends_on) })),
      groups,
      groupOf,
    };
  }

  /** Sets a group's count, counts by state, state, label (name and suffix) and the lines of its box. */
  function summarize(group) {
    const counts = new Map();
    for (const instance of group.instances) counts.set(instance.state, (counts.get(instance.state) || 0) + 1);
    group.count = group.instances.length;
    group.counts = [...counts].sort(([a], [b]) => rank(a) - rank(b));
    group.state = stateOf(group.counts, group.count);
    group.suffix = ` \u00d7 ${number(group.count)}`;
    group.label = group.name + group.suffix;
    group.lines = COUNT_LINES;
  }

  function rank(state) {
    const at = STATES.indexOf(state);
    return at < 0 ? STATES.length : at;
  }

  /**
   * The state a group is drawn in: any instance in error makes it error; all in one state, that
   * state; all done (complete or resolved by hand), complete; anything else is a batch under way.
   */
  function stateOf(counts, count) {
    const of = (state) => (counts.find(([s]) => s === state) || [null, 0])[1];
    if (of("error") > 0) return "error";
    if (counts.length === 1) return counts[0][0];
    if (of("complete") + of("resolved_manually") === count) return "complete";
    if (of("pending") + of("cancelled") === count) return "pending";
    return "in_progress";
  }

  function number(n) {
    return n.toLocaleString("en-US");
  }

  /** The counts in words: "9,990 complete, 10 in progress". */
  function countWords(group) {
    return group.counts.map(([state, n]) => `${number(n)} ${String(state).replaceAll("_", " ")}`).join(", ");
  }

  /**
   * The counts for the box's slots (two a line, COUNT_LINES lines): one a slot while they fit,
   * else the last slot sums the rest ("3 more").
   */
  function countSlots(group) {
    const words = group.counts.map(([state, n]) => `${number(n)} ${String(state).replaceAll("_", " ")}`);
    if (words.length <= COUNT_SLOTS) return words;
    const rest = group.counts.slice(COUNT_SLOTS - 1).reduce((sum, [, n]) => sum + n, 0);
    return [...words.slice(0, COUNT_SLOTS - 1), `${number(rest)} more`];
  }

  /**
   * A group's one bar in the timeline: from the first claim of any instance to the last end,
   * running while any instance runs, failed when one failed. Null before any instance ran.
   */
  function span(group, attemptsByStep) {
    let start = null;
    let end = null;
    let running = false;
    let failed = false;
    let tries = 0;
    for (const instance of group.instances) {
      for (const attempt of attemptsByStep.get(instance.name) || []) {
        tries++;
        if (start === null || Date.parse(attempt.start) < Date.parse(start)) start = attempt.start;
        if (attempt.end === null) running = true;
        else if (end === null || Date.parse(attempt.end) > Date.parse(end)) end = attempt.end;
        if (attempt.outcome === "failed") failed = true;
      }
    }
    if (start === null) return null;
    const outcome = running ? "running" : failed ? "failed" : group.state === "complete" ? "complete" : "interrupted";
    return {
      attempt: tries, start, end: running ? null : end, outcome, reason: null, error: null, worker: null,
      title: `${group.label}: ${number(tries)} attempts of ${number(group.count)} instances, `
        + `from the first claim to the last end; ${countWords(group)}`,
    };
  }

  /**
   * The instances to list for a group, at most `limit`: those in error first, then those
   * running, then the others, each in creation order; and how many are not listed.
   */
  function firstInstances(group, limit) {
    const urgency = (step) => (step.state === "error" ? 0 : step.state === "in_progress" ? 1 : 2);
    const sorted = [...group.instances].sort((a, b) => urgency(a) - urgency(b));
    return { shown: sorted.slice(0, limit), more: Math.max(0, sorted.length - limit) };
  }

  return { display, isInstance, countWords, countSlots, span, firstInstances, number, COUNT_LINES };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerBatches;
}
