"use strict";

/*
 * A task's steps over time (a Gantt chart), from nothing but its history: each attempt of a step
 * starts where the step enters in_progress (a worker claimed it) and ends with the step's next
 * change, which says how it ended. The attempts and the layout are pure functions, so Node can
 * test them; draw() needs a page.
 */
const TaskerTimeline = (() => {
  const LABEL_WIDTH = 150;
  /** The time axis's length when the page does not say how wide the chart may be, and its least. */
  const CHART_WIDTH = 520;
  const MIN_CHART_WIDTH = 200;
  const ROW = 30;
  const BAR = 16;
  const AXIS = 26;
  const MARGIN = 12;
  /** A bar never narrower than this, so an attempt of a millisecond is still seen. */
  const MIN_BAR = 3;
  const NAME_FITS = 20;
  const SECOND = 1000;
  const MINUTE = 60 * SECOND;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  /** Steps between ticks that read as round numbers of their unit. */
  const TICK_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND,
    15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR,
    2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];
  const TICKS = 5;

  /** How an attempt ended, from the change that ended it. */
  function outcome(change) {
    if (change.to_state === "complete") return "complete";
    if (change.to_state === "cancelled") return "cancelled";
    if (change.metadata && change.metadata.error) return change.to_state === "error" ? "failed" : "retried";
    return change.to_state === "error" ? "failed" : "interrupted";
  }

  /**
   * Each step's attempts, oldest first: a Map from step name to [{attempt, start, end, outcome,
   * reason, error, worker}], `end` null and `outcome` "running" while one runs. `outcome` is
   * complete, failed (no attempt follows by itself), retried (failed, another follows),
   * cancelled, or interrupted (ended without a result, e.g. its worker's lease ran out).
   */
  function attempts(transitions) {
    const byStep = new Map();
    for (const change of transitions) {
      if (change.subject === "task") continue;
      if (!byStep.has(change.subject)) byStep.set(change.subject, []);
      const list = byStep.get(change.subject);
      const last = list[list.length - 1];
      const metadata = change.metadata || {};
      if (change.to_state === "in_progress") {
        list.push({
          attempt: Number.isInteger(metadata.attempt) ? metadata.attempt : list.length + 1,
          start: change.created_at, end: null, outcome: "running", reason: null, error: null,
          worker: metadata.worker || null,
        });
      } else if (last && last.end === null && change.from_state === "in_progress") {
        last.end = change.created_at;
        last.outcome = outcome(change);
        last.reason = metadata.reason || null;
        last.error = metadata.error || null;
      }
    }
    return byStep;
  }

  /** The words of a recorded error: its message, or the error itself when it has none. */
  function errorMessage(error) {
    if (error === null || error === undefined) return null;
    if (typeof error === "string") return error;
    if (typeof error.message === "string") return error.message;
    return JSON.stringify(error);
  }

  /**
   * The time the chart spans, in ms since the epoch: from the task's creation to its end, or to
   * `now` while it can still change by itself. A task that stands still (error, cancelled) ends
   * at its last change.
   */
  function bounds(task, attemptsByStep, now, running) {
    const from = Date.parse(task.created_at);
    let until = from;
    for (const list of attemptsByStep.values()) {
      for (const attempt of list) {
        until = Math.max(until, Date.parse(attempt.start), attempt.end === null ? now : Date.parse(attempt.end));
      }
    }
    if (running) until = Math.max(until, now);
    else if (task.completed_at) until = Math.max(until, Date.parse(task.completed_at));
    return { from, until: Math.max(until, from + 1) };
  }

  /** The step between ticks: the first round one that gives at most TICKS ticks over `span` ms. */
  function tickStep(span) {
    const wanted = span / TICKS;
    const found = TICK_STEPS.find((step) => step >= wanted);
    return found || Math.ceil(wanted / DAY) * DAY;
  }

  /**
   * The drawing: a row per step in `names` order, a bar per attempt from its start to its end (to
   * `until` while it runs), ticks on a time axis from `from` to `until` (offsets in ms), and where
   * those two are (`left`, `right`). `width` is how wide the drawing may be, so that it fits its
   * box; the time axis never gets shorter than MIN_CHART_WIDTH (the box scrolls instead).
   */
  function layout(names, attemptsByStep, from, until, width = LABEL_WIDTH + CHART_WIDTH + MARGIN) {
    const chart = Math.max(MIN_CHART_WIDTH, Math.floor(width) - LABEL_WIDTH - MARGIN);
    const span = Math.max(1, until - from);
    const scale = chart / span;
    const x = (ms) => LABEL_WIDTH + Math.max(0, Math.min(span, ms - from)) * scale;
    const rows = names.map((name, i) => ({ name, y: AXIS + i * ROW, height: ROW }));
    const bars = [];
    for (const row of rows) {
      for (const attempt of attemptsByStep.get(row.name) || []) {
        const start = x(Date.parse(attempt.start));
        const end = x(attempt.end === null ? until : Date.parse(attempt.end));
        bars.push({
          name: row.name, attempt, x: start, y: row.y + (ROW - BAR) / 2, width: Math.max(MIN_BAR, end - start),
          height: BAR,
        });
      }
    }
    const step = tickStep(span);
    const ticks = [];
    for (let offset = 0; offset <= span; offset += step) ticks.push({ offset, x: LABEL_WIDTH + offset * scale });
    return {
      width: LABEL_WIDTH + chart + MARGIN, height: AXIS + rows.length * ROW + MARGIN, axis: AXIS,
      left: LABEL_WIDTH, right: LABEL_WIDTH + chart, rows, bars, ticks,
    };
  }

  const OUTCOME_WORDS = {
    running: "running", complete: "succeeded", failed: "failed", retried: "failed, retried", cancelled: "cancelled",
    interrupted: "stopped",
  };

  /** The state whose colors an outcome's bar takes. */
  const OUTCOME_STATES = {
    running: "in_progress", complete: "complete", failed: "error", retried: "waiting_for_retry", cancelled: "cancelled",
    interrupted: "pending",
  };

  /** An attempt in words, for a tooltip or a table: "failed, retried after 12 ms: message". */
  function describe(attempt) {
    const took = attempt.end === null ? "" : ` after ${TaskerUi.formatDuration(Date.parse(attempt.end)
      - Date.parse(attempt.start))}`;
    const why = attempt.outcome === "interrupted" && attempt.reason ? ` (${attempt.reason})` : "";
    const message = errorMessage(attempt.error);
    return `${OUTCOME_WORDS[attempt.outcome]}${why}${took}${message ? `: ${message}` : ""}`;
  }

  /**
   * The chart as SVG; a click on a step's row calls `onSelect(name)`. An attempt with a `title`
   * (a batch's span, see batches.js) shows it instead of its own words.
   */
  function draw(plan, selected, onSelect) {
    const { svg, shorten, formatDuration } = TaskerUi;
    const root = svg("svg", {
      width: plan.width, height: plan.height, viewBox: `0 0 ${plan.width} ${plan.height}`, role: "group",
      "aria-labelledby": "gantt-heading",
    });
    for (const row of plan.rows) {
      const group = svg("g", { class: row.name === selected ? "row selected" : "row", "data-step": row.name },
        svg("rect", { class: "band", x: 0, y: row.y, width: plan.width, height: row.height }),
        svg("text", { class: "label", x: 6, y: row.y + row.height / 2 + 4 }, shorten(row.name, NAME_FITS),
          svg("title", {}, row.name)));
      group.addEventListener("click", () => onSelect(row.name));
      root.append(group);
    }
    for (const tick of plan.ticks) {
      root.append(svg("line", { class: "tick", x1: tick.x, x2: tick.x, y1: plan.axis - 6, y2: plan.height - 12 }),
        svg("text", { class: "tick-label", x: tick.x, y: plan.axis - 10, "text-anchor": "middle" },
          tick.offset === 0 ? "0" : `+${formatDuration(tick.offset)}`));
    }
    for (const bar of plan.bars) {
      const rect = svg("rect", {
        class: `bar outcome-${bar.attempt.outcome} state-${OUTCOME_STATES[bar.attempt.outcome]}`,
        x: bar.x, y: bar.y, width: bar.width, height: bar.height, rx: 3, "data-step": bar.name,
        "data-attempt": bar.attempt.attempt,
      }, svg("title", {}, bar.attempt.title || `${bar.name}, attempt ${bar.attempt.attempt}: ${describe(bar.attempt)}`));
      rect.addEventListener("click", () => onSelect(bar.name));
      root.append(rect);
    }
    return root;
  }

  return { attempts, errorMessage, bounds, tickStep, layout, describe, draw, OUTCOME_WORDS };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerTimeline;
}
