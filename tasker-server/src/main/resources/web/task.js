"use strict";

/*
 * /ui/tasks/{uuid}: one task's steps as a DAG, the selected step's details, and the task's
 * history. Refreshes every second until the task is final. The graph is drawn once (a task's
 * steps never change) and then only restyled, so keyboard focus and the selection survive
 * refreshes.
 */
(() => {
  const {
    el, svg, badge, stateLabel, formatTime, formatDuration, formatJson, compactJson, getJson, problem,
    FINAL_TASK_STATES, refreshLater, announce,
  } = TaskerUi;
  const REFRESH_MS = 1000;
  const MAX_RETRY_MS = 5000;
  const STEP_STATES = ["pending", "enqueued", "in_progress", "waiting_for_retry", "complete", "error", "cancelled",
    "resolved_manually"];
  /** How many characters of a step name fit in a box; the full name is in its tooltip and label. */
  const NAME_FITS = 24;
  const DETAILS_FIT = 160;

  const taskId = location.pathname.split("/").filter(Boolean).pop();
  const api = `/v1/tasks/${encodeURIComponent(taskId)}`;
  const page = {
    title: document.getElementById("title"),
    status: document.getElementById("status"),
    task: document.getElementById("task"),
    summary: document.getElementById("summary"),
    dag: document.getElementById("dag"),
    legend: document.getElementById("legend"),
    step: document.getElementById("step"),
    context: document.getElementById("context"),
    transitions: document.getElementById("transitions"),
  };

  let steps = new Map();
  let transitions = [];
  let drawn = null;
  let selected = decodeURIComponent(location.hash.replace(/^#step=/, "")) || null;
  let shown = { summary: null, step: null, context: null, history: null };
  let failures = 0;
  let lastLook = false;

  function say(text, isProblem = false) {
    announce(page.status, text, isProblem);
  }

  async function refresh() {
    const [task, changes] = await Promise.all([getJson(api), getJson(`${api}/transitions`)]);
    if (task.status === 404 || task.status === 400) {
      showMissing(task);
      return;
    }
    if (task.status !== 200) {
      failures++;
      const wait = Math.min(MAX_RETRY_MS, REFRESH_MS * 2 ** failures);
      say(`${problem(task)}. Trying again in ${Math.round(wait / 1000)} s.`, true);
      refreshLater(refresh, wait);
      return;
    }
    failures = 0;
    render(task.body, changes.status === 200 ? changes.body.transitions : transitions);
    if (!FINAL_TASK_STATES.has(task.body.state)) {
      lastLook = false;
      say("Refreshing every second while the task runs.");
      refreshLater(refresh, REFRESH_MS);
    } else if (!lastLook) {
      // The task and its history are two requests; one more pair after the end shows both complete.
      lastLook = true;
      refreshLater(refresh, REFRESH_MS);
    } else {
      say(`The task is in state "${stateLabel(task.body.state)}", which it does not leave by itself, `
        + "so the page stopped refreshing.");
    }
  }

  function showMissing(answer) {
    page.task.hidden = true;
    page.title.textContent = answer.status === 404 ? "No such task" : "Not a task id";
    document.title = `${page.title.textContent} - Tasker`;
    say(answer.status === 404
      ? `There is no task ${taskId} in this Tasker's database. All tasks lists the recent ones.`
      : `"${taskId}" is not a task id: ${problem(answer)}.`, true);
  }

  function render(task, taskHistory) {
    steps = new Map(task.steps.map((step) => [step.name, step]));
    transitions = taskHistory;
    page.title.replaceChildren(`${task.namespace}/${task.name}`, el("span", { class: "muted" }, ` @${task.version} `),
      badge(task.state));
    document.title = `${task.name} (${stateLabel(task.state)}) - Tasker`;
    page.task.hidden = false;
    renderSummary(task);
    if (drawn === null) {
      drawn = drawDag(task.steps);
      renderLegend();
    }
    restyleDag();
    renderStep();
    renderContext(task.context);
    renderHistory(task);
  }

  function changed(part, value) {
    const text = JSON.stringify(value);
    if (shown[part] === text) return false;
    shown[part] = text;
    return true;
  }

  function renderSummary(task) {
    const complete = task.steps.filter((step) => step.state === "complete").length;
    const facts = [
      ["Id", el("span", { class: "mono" }, task.task_uuid)],
      ["State", badge(task.state)],
      ["Steps", `${complete} of ${task.steps.length} complete`],
      ["Created", formatTime(task.created_at)],
      ["Finished", task.completed_at
        ? `${formatTime(task.completed_at)} (after ${formatDuration(new Date(task.completed_at) - new Date(task.created_at))})`
        : null],
      ["Initiator", task.initiator],
      ["Source system", task.source_system],
      ["Reason", task.reason],
      ["Tags", task.tags.length ? task.tags.join(", ") : null],
      ["Priority", task.priority ? String(task.priority) : null],
      ["Correlation id", task.correlation_id],
    ].filter(([, value]) => value !== null && value !== undefined && value !== "");
    if (!changed("summary", [task.state, task.updated_at, complete])) return;
    page.summary.replaceChildren(...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  }

  function drawDag(list) {
    const plan = TaskerDag.layout(list);
    const marker = (id, done) => svg("marker", {
      id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse",
    }, svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: done ? "arrow done" : "arrow" }));
    const root = svg("svg", {
      width: plan.width, height: plan.height, viewBox: `0 0 ${plan.width} ${plan.height}`,
      role: "group", "aria-labelledby": "steps-heading",
    }, svg("defs", {}, marker("arrow", false), marker("arrow-done", true)));
    const edges = plan.edges.map((edge) => {
      const line = svg("path", { d: edge.path, class: "edge", "marker-end": "url(#arrow)" });
      root.append(line);
      return { from: edge.from, line };
    });
    const boxes = new Map();
    for (const box of plan.boxes) {
      const shortName = box.name.length > NAME_FITS ? box.name.slice(0, NAME_FITS - 1) + "\u2026" : box.name;
      const tooltip = svg("title", {}, box.name);
      const state = svg("text", { class: "detail", x: box.x + 10, y: box.y + 43 });
      const attempts = svg("text", { class: "detail", x: box.x + box.width - 10, y: box.y + 43, "text-anchor": "end" });
      const group = svg("g", { class: "step", tabindex: 0, role: "button", "data-step": box.name },
        tooltip,
        svg("rect", { x: box.x, y: box.y, width: box.width, height: box.height, rx: 8 }),
        svg("text", { class: "name", x: box.x + 10, y: box.y + 22 }, shortName),
        state, attempts);
      group.addEventListener("click", () => select(box.name));
      group.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          select(box.name);
        }
      });
      root.append(group);
      boxes.set(box.name, { group, tooltip, state, attempts });
    }
    page.dag.replaceChildren(root);
    return { edges, boxes };
  }

  function restyleDag() {
    for (const [name, box] of drawn.boxes) {
      const step = steps.get(name);
      const label = stateLabel(step.state);
      box.group.setAttribute("class", `step state-${step.state}${name === selected ? " selected" : ""}`);
      box.group.setAttribute("aria-pressed", String(name === selected));
      box.group.setAttribute("aria-label",
        `${name}: ${label}, attempt ${step.attempts} of ${step.max_attempts}`);
      box.tooltip.textContent = `${name}: ${label}, attempt ${step.attempts} of ${step.max_attempts}`;
      box.state.textContent = label;
      box.attempts.textContent = `${step.attempts}/${step.max_attempts} attempts`;
    }
    for (const edge of drawn.edges) {
      const done = steps.get(edge.from).state === "complete";
      edge.line.setAttribute("class", done ? "edge done" : "edge");
      edge.line.setAttribute("marker-end", done ? "url(#arrow-done)" : "url(#arrow)");
    }
  }

  function renderLegend() {
    page.legend.replaceChildren(...STEP_STATES.map((state) => el("li", {}, badge(state))));
  }

  function select(name) {
    selected = name;
    window.history.replaceState(null, "", `#step=${encodeURIComponent(name)}`);
    restyleDag();
    renderStep();
  }

  function renderStep() {
    const step = selected && steps.get(selected);
    if (!step) {
      if (changed("step", null)) {
        page.step.replaceChildren(el("h3", { id: "step-heading" }, "No step selected"),
          el("p", { class: "muted" }, "Select a step in the graph to see its result, error and times."));
      }
      return;
    }
    const ran = runningTime(step);
    if (!changed("step", [step, ran])) return;
    const waitingForIt = [...steps.values()].filter((other) => other.depends_on.includes(step.name))
      .map((other) => other.name);
    const facts = [
      ["Attempts", `${step.attempts} of ${step.max_attempts}`],
      ["Handler", step.handler && el("code", {}, step.handler)],
      ["Waits for", step.depends_on.length ? step.depends_on.join(", ") : "nothing (a root step)"],
      ["Needed by", waitingForIt.length ? waitingForIt.join(", ") : "nothing (a final step)"],
      ["Created", formatTime(step.created_at)],
      ["Updated", formatTime(step.updated_at)],
      ["Completed", formatTime(step.completed_at)],
      ["Ran for", ran],
      ["Next attempt", formatTime(step.next_attempt_at)],
    ].filter(([, value]) => value);
    const parts = [
      el("h3", { id: "step-heading" }, step.name, badge(step.state)),
      el("dl", { class: "summary" }, facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])),
      el("h4", {}, "Result"),
      step.results === null ? el("p", { class: "muted" }, "No result yet.") : el("pre", {}, formatJson(step.results)),
    ];
    if (step.last_error !== null) {
      const message = typeof step.last_error.message === "string" ? step.last_error.message : null;
      parts.push(el("div", { class: "error" },
        el("h4", {}, "Last error"),
        message && el("p", { class: "message" }, message),
        el("details", { open: message === null },
          el("summary", {}, "The error as recorded"),
          el("pre", {}, formatJson(step.last_error)))));
    }
    page.step.replaceChildren(...parts);
  }

  /** How long the step's last attempt ran: from its last start to its completion. */
  function runningTime(step) {
    if (!step.completed_at) return null;
    const starts = transitions.filter((t) => t.subject === step.name && t.to_state === "in_progress");
    if (starts.length === 0) return null;
    return formatDuration(new Date(step.completed_at) - new Date(starts[starts.length - 1].created_at));
  }

  function renderContext(context) {
    const text = formatJson(context);
    if (changed("context", text)) page.context.textContent = text;
  }

  function renderHistory(task) {
    if (!changed("history", transitions.length)) return;
    const created = new Date(task.created_at);
    page.transitions.replaceChildren(...transitions.map((transition) => {
      const details = transition.metadata === null ? "" : compactJson(transition.metadata);
      const shortDetails = details.length > DETAILS_FIT ? details.slice(0, DETAILS_FIT - 1) + "\u2026" : details;
      return el("tr", {},
        el("td", { class: "when mono" }, formatTime(transition.created_at)),
        el("td", { class: "offset mono" }, `+${formatDuration(Math.max(0, new Date(transition.created_at) - created))}`),
        el("td", {}, transition.subject === "task" ? el("strong", {}, "task") : transition.subject),
        el("td", { class: "change" }, transition.from_state ? [badge(transition.from_state), " to "] : "created as ",
          badge(transition.to_state)),
        el("td", { class: "details" }, details && el("code", { title: details }, shortDetails)));
    }));
  }

  refresh();
})();
