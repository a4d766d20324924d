"use strict";

/*
 * /ui/tasks/{uuid}: one task's steps as a DAG and as a timeline of their attempts, the selected
 * step's attempts, result and error, the steps in error with what an operator can do about them,
 * and the task's history. Refreshes every second until the task stands still (final, or in error
 * waiting for an operator), and again after an action. The graph is drawn again only when steps
 * appear (a decision created them, see docs/dynamic-workflows.md), keeping keyboard focus on the
 * step that had it; otherwise it is only restyled, so focus and the selection survive refreshes.
 * A batch's instances, which may be 100,000, are one box and one timeline row per worker template
 * (batches.js), and every list shows its first items with a button for more.
 */
(() => {
  const {
    el, badge, stateLabel, formatTime, formatDuration, formatJson, compactJson, problem, FINAL_TASK_STATES,
    refresher, announce, facts, shorten, codeParts, typeWords, more,
  } = TaskerUi;
  const REFRESH_MS = 1000;
  const MAX_RETRY_MS = 5000;
  const STEP_STATES = ["pending", "enqueued", "in_progress", "waiting_for_retry", "complete", "error", "cancelled",
    "resolved_manually"];
  /** What a step that is not a standard one does, in words; a standard step says nothing. */
  const TYPE_LABELS = {
    decision: "decision: creates the steps it chooses",
    deferred_convergence: "deferred convergence: waits for the steps that were created",
    batchable: "batchable: creates the batch workers it chooses",
    batch_worker: "batch worker: one of the instances a batchable step created",
  };
  /** How many items a list shows at first, and how many more each "Show more" adds. */
  const PAGE = { failed: 20, instances: 50, history: 500 };
  const DETAILS_FIT = 160;
  const MESSAGE_FITS = 300;

  const taskId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
  const api = `/v1/tasks/${encodeURIComponent(taskId)}`;
  const page = TaskerUi.elements("title", "task-actions", "status", "task", "summary", "attention", "failed-steps",
    "dag", "legend", "gantt", "step", "context");
  const historyTable = TaskerUi.table({ class: "history" }, "Every state change of the task and its steps, oldest first",
    ["Time", "Since created", "Of", "Change", "Details"]);
  const historyMore = el("div");
  document.getElementById("transitions").append(historyTable.element, historyMore);

  let task = null;
  let steps = new Map();
  /** What the graph and timeline show: the steps, with each batch's instances as one group. */
  let view = TaskerBatches.display([]);
  let displayed = new Map();
  const limits = { ...PAGE };
  let transitions = [];
  let attempts = new Map();
  let drawn = null;
  let drawnShape = null;
  let selected = decodeURIComponent(location.hash.replace(/^#step=/, "")) || null;
  const shown = {};
  let failures = 0;
  let lastLook = false;
  const refresh = refresher(load);

  function say(text, isProblem = false) {
    announce(page.status, text, isProblem);
  }

  /** Whether `value` differs from what `part` of the page shows; parts are drawn again only then. */
  function changed(part, value) {
    const text = JSON.stringify(value);
    if (shown[part] === text) return false;
    shown[part] = text;
    return true;
  }

  async function load() {
    const [answer, changes] = await Promise.all([TaskerApi.getJson(api), TaskerApi.getJson(`${api}/transitions`)]);
    if (answer.status === 404 || answer.status === 400) {
      showMissing(answer);
      return;
    }
    if (answer.status === 401 || answer.status === 403) {
      // Asking again would be refused again: the page loads once a token is entered.
      say(TaskerApi.refusal(answer), true);
      return;
    }
    if (answer.status !== 200) {
      failures++;
      const wait = Math.min(MAX_RETRY_MS, REFRESH_MS * 2 ** failures);
      say(`${problem(answer)}. Trying again in ${Math.round(wait / 1000)} s.`, true);
      refresh.later(wait);
      return;
    }
    failures = 0;
    render(answer.body, changes.status === 200 ? changes.body.transitions : transitions);
    if (!FINAL_TASK_STATES.has(task.state)) {
      lastLook = false;
      say("Refreshing every second while the task runs.");
      refresh.later(REFRESH_MS);
    } else if (!lastLook) {
      // The task and its history are two requests; one more pair after the end shows both complete.
      lastLook = true;
      refresh.later(REFRESH_MS);
    } else if (task.state === "error") {
      say("The task is in error and waits for an operator: retry, resolve or complete a step in error, or cancel "
        + "the task. The page refreshes after each action.");
    } else {
      say(`The task is in state "${stateLabel(task.state)}", which it does not leave, so the page stopped refreshing.`);
    }
  }

  /** After an operator's action: show what it did, and follow the task again if it moves. */
  function afterAction() {
    lastLook = false;
    refresh.now();
  }

  function showMissing(answer) {
    page.task.hidden = true;
    page.title.textContent = answer.status === 404 ? "No such task" : "Not a task id";
    document.title = `${page.title.textContent} - Tasker`;
    say(answer.status === 404
      ? `There is no task ${taskId} in this Tasker's database. All tasks lists the recent ones.`
      : `"${taskId}" is not a task id: ${problem(answer)}.`, true);
  }

  function render(current, history) {
    task = current;
    steps = new Map(task.steps.map((step) => [step.name, step]));
    view = TaskerBatches.display(task.steps);
    displayed = new Map(view.steps.map((step) => [step.name, step]));
    transitions = history;
    attempts = TaskerTimeline.attempts(transitions);
    page.title.replaceChildren(`${task.namespace}/${task.name}`, el("span", { class: "muted" }, ` @${task.version} `),
      badge(task.state));
    document.title = `${task.name} (${stateLabel(task.state)}) - Tasker`;
    page.task.hidden = false;
    renderActions();
    renderSummary();
    renderAttention();
    const shape = TaskerDag.shape(view.steps);
    if (drawn === null || shape !== drawnShape) {
      const focused = drawn && document.activeElement && document.activeElement.getAttribute("data-step");
      if (drawn === null) {
        page.legend.replaceChildren(...STEP_STATES.map((state) => el("li", {}, badge(state))));
      }
      drawn = TaskerDag.draw(TaskerDag.layout(view.steps), "dag-heading", select);
      drawnShape = shape;
      page.dag.replaceChildren(drawn.root);
      if (focused && drawn.boxes.has(focused)) drawn.boxes.get(focused).group.focus();
    }
    restyleDag();
    renderGantt();
    renderStep();
    renderContext();
    renderHistory();
  }

  function renderActions() {
    if (!changed("actions", [task.state])) return;
    page.taskActions.replaceChildren(...TaskerActions.forTask(task)
      .map((action) => TaskerActions.button(action, task, null, afterAction)));
  }

  function renderSummary() {
    const complete = task.steps.filter((step) => step.state === "complete").length;
    if (!changed("summary", [task.state, task.updated_at, complete])) return;
    const template = `/ui/templates/${encodeURIComponent(task.namespace)}/${encodeURIComponent(task.name)}`
      + `?version=${encodeURIComponent(task.version)}`;
    page.summary.replaceChildren(...facts([
      ["Id", el("span", { class: "mono" }, task.task_uuid)],
      ["State", badge(task.state)],
      ["Template", el("a", { href: template }, `${task.namespace}/${task.name} @${task.version}`)],
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
    ]).children);
  }

  /** The steps in error, each with its error and the actions that move it on. */
  function renderAttention() {
    const failed = task.steps.filter((step) => step.state === "error");
    const listed = failed.slice(0, limits.failed);
    if (!changed("attention", [failed.length, listed.map((step) => [step.name, step.updated_at, step.last_error])])) {
      return;
    }
    page.attention.hidden = failed.length === 0;
    const showMore = more(failed.length - listed.length, PAGE.failed, () => {
      limits.failed += PAGE.failed;
      renderAttention();
    });
    page.failedSteps.replaceChildren(...listed.map((step) => {
      const message = TaskerTimeline.errorMessage(step.last_error);
      const show = el("button", { type: "button", class: "link" }, "Attempts");
      show.addEventListener("click", () => {
        select(step.name);
        page.step.scrollIntoView({ block: "start" });
      });
      return el("li", { class: "failed-step", "data-step": step.name },
        el("div", { class: "what" },
          el("strong", {}, step.name), " ",
          el("span", { class: "muted" }, `after ${step.attempts} of ${step.max_attempts} attempts`),
          message && el("p", { class: "message" }, shorten(message, MESSAGE_FITS)),
          step.last_error && step.last_error.error_type && el("p", { class: "muted mono" }, step.last_error.error_type)),
        el("div", { class: "actions" }, show,
          TaskerActions.forStep(step).map((action) => TaskerActions.button(action, task, step, afterAction))));
    }), ...(showMore ? [el("li", {}, showMore)] : []));
  }

  function restyleDag() {
    for (const [name, box] of drawn.boxes) {
      const step = displayed.get(name);
      if (step.group) {
        restyleGroup(box, step);
        continue;
      }
      const label = stateLabel(step.state);
      const words = `${name}${typeWords(step)}: ${label}, attempt ${step.attempts} of ${step.max_attempts}`
        + (step.created_by ? `; created by ${creator(step)}` : "")
        + (step.unserved ? `; ${step.unserved.replaceAll("`", "")}` : "");
      box.group.setAttribute("class", `step state-${step.state} type-${step.type || "standard"}`
        + `${step.unserved ? " unserved" : ""}${name === selected ? " selected" : ""}`);
      box.group.setAttribute("aria-pressed", String(name === selected));
      box.group.setAttribute("aria-label", words);
      box.tooltip.textContent = words;
      box.left.textContent = label;
      box.right.textContent = step.unserved ? "no worker" : `${step.attempts}/${step.max_attempts} attempts`;
    }
    for (const edge of drawn.edges) {
      const done = displayed.get(edge.from).state === "complete";
      edge.line.setAttribute("class", done ? "edge done" : "edge");
      edge.line.setAttribute("marker-end", done ? "url(#arrow-done)" : "url(#arrow)");
    }
  }

  /** The step that created `step` in words: "decision routing_decision", "batchable step analyze_csv". */
  function creator(step) {
    const by = steps.get(step.created_by);
    return `${by && by.type === "batchable" ? "batchable step" : "decision"} ${step.created_by}`;
  }

  /** A batch's box: its counts by state, selected when the group or one of its instances is. */
  function restyleGroup(box, group) {
    const isSelected = selected === group.name || (view.groupOf.has(selected) && view.groupOf.get(selected) === group);
    const words = `${group.label}, batch workers: ${TaskerBatches.countWords(group)}`;
    box.group.setAttribute("class", `step group state-${group.state} type-batch_worker${isSelected ? " selected" : ""}`);
    box.group.setAttribute("aria-pressed", String(isSelected));
    box.group.setAttribute("aria-label", words);
    box.tooltip.textContent = words;
    const slots = TaskerBatches.countSlots(group);
    box.lines.forEach((line, i) => {
      line.left.textContent = slots[2 * i] || "";
      line.right.textContent = slots[2 * i + 1] || "";
    });
  }

  function renderGantt() {
    const running = !FINAL_TASK_STATES.has(task.state);
    const now = Date.now();
    // While the task runs the chart's end moves with the clock; otherwise only a change redraws it.
    if (!changed("gantt", [transitions.length, selected, running ? now : task.updated_at, page.gantt.clientWidth])) {
      return;
    }
    const rows = new Map(attempts);
    for (const group of view.groups.values()) {
      const span = TaskerBatches.span(group, attempts);
      if (span) rows.set(group.name, [span]);
    }
    const { from, until } = TaskerTimeline.bounds(task, attempts, now, running);
    const plan = TaskerTimeline.layout(view.steps.map((step) => step.name), rows, from, until,
      page.gantt.clientWidth - 2);
    page.gantt.replaceChildren(TaskerTimeline.draw(plan, selected, select));
  }

  function select(name) {
    selected = name;
    window.history.replaceState(null, "", `#step=${encodeURIComponent(name)}`);
    restyleDag();
    renderGantt();
    renderStep();
  }

  function renderStep() {
    const group = selected && view.groups.get(selected);
    if (group) {
      renderGroup(group);
      return;
    }
    const step = selected && steps.get(selected);
    if (!step) {
      if (changed("step", null)) {
        page.step.replaceChildren(el("h3", { id: "step-heading" }, "No step selected"),
          el("p", { class: "muted" }, "Select a step in the graph or the timeline to see its attempts, result and error."));
      }
      return;
    }
    const tries = attempts.get(step.name) || [];
    if (!changed("step", [step, tries, task.state])) return;
    // An instance's children are its group's: a convergence waits for the batch, not one instance.
    const shownAs = view.groupOf.has(step.name) ? view.groupOf.get(step.name).name : step.name;
    const waitingForIt = view.steps.filter((other) => other.name !== shownAs && other.depends_on.includes(shownAs))
      .map((other) => other.name);
    const parts = [
      el("h3", { id: "step-heading" }, step.name, badge(step.state)),
      el("div", { class: "actions" },
        TaskerActions.forStep(step).map((action) => TaskerActions.button(action, task, step, afterAction))),
      facts([
        ["Attempts", `${step.attempts} of ${step.max_attempts}`],
        ["Type", TYPE_LABELS[step.type] || null],
        ["Created by", step.created_by ? creator(step) : null],
        ...batchFacts(step),
        ["Handler", step.handler && el("code", {}, step.handler)],
        ["Waits for", step.depends_on.length ? step.depends_on.join(", ") : "nothing (a root step)"],
        ["Needed by", waitingForIt.length ? waitingForIt.join(", ") : "nothing (a final step)"],
        ["Created", formatTime(step.created_at)],
        ["Updated", formatTime(step.updated_at)],
        ["Completed", formatTime(step.completed_at)],
        ["Next attempt", formatTime(step.next_attempt_at)],
      ]),
      ...(step.unserved ? [el("p", { class: "unserved" }, "Waiting for a worker: ",
        codeParts(step.unserved).map((part) => (part.code ? el("code", {}, part.text) : part.text)),
        ". The step runs once a worker that runs it starts.")] : []),
      ...checkpointParts(step),
      el("h4", {}, "Attempts"),
      attemptTable(step, tries),
      el("h4", {}, "Result"),
      step.results === null ? el("p", { class: "muted" }, "No result.") : el("pre", {}, formatJson(step.results)),
    ];
    if (step.last_error !== null) {
      const message = TaskerTimeline.errorMessage(step.last_error);
      parts.push(el("div", { class: "error" },
        el("h4", {}, "Last error"),
        message && el("p", { class: "message" }, message),
        el("details", { open: message === null },
          el("summary", {}, "The error as recorded"),
          el("pre", {}, formatJson(step.last_error)))));
    }
    page.step.replaceChildren(...parts);
  }

  /** What a batch instance works on: its batch, its cursor, whether it is the placeholder. */
  function batchFacts(step) {
    if (!TaskerBatches.isInstance(step)) return [];
    const group = view.groupOf.get(step.name);
    const back = el("button", { type: "button", class: "link" }, group ? group.label : step.batch.worker_template);
    back.addEventListener("click", () => select(step.batch.worker_template));
    return [
      ["Batch", el("span", {}, `instance ${step.batch.batch_id} of `, back)],
      ["Cursor", step.batch.cursor ? el("code", {}, compactJson(step.batch.cursor)) : null],
      ["No-op", step.batch.no_op ? "yes: the placeholder of a batchable step that created no batches" : null],
    ];
  }

  /** The step's last checkpoint: where it resumes when it runs again. */
  function checkpointParts(step) {
    const checkpoint = step.checkpoint;
    if (!checkpoint || typeof checkpoint !== "object") return [];
    const history = Array.isArray(checkpoint.history) ? checkpoint.history.length : 0;
    return [
      el("h4", {}, "Checkpoint"),
      facts([
        ["Cursor", el("code", {}, compactJson(checkpoint.cursor === undefined ? null : checkpoint.cursor))],
        ["Items processed", Number.isFinite(Number(checkpoint.items_processed))
          ? TaskerBatches.number(Number(checkpoint.items_processed)) : null],
        ["Saved", checkpoint.timestamp ? formatTime(checkpoint.timestamp) : null],
        ["Earlier checkpoints", history ? String(history) : null],
      ], { class: "summary checkpoint" }),
      ...(checkpoint.accumulated_results === undefined || checkpoint.accumulated_results === null ? []
        : [el("details", {}, el("summary", {}, "Accumulated results"),
          el("pre", {}, formatJson(checkpoint.accumulated_results)))]),
    ];
  }

  /**
   * A batch's group: its counts and its instances, the first PAGE.instances of them (those in
   * error first) with a button for more; selecting one shows it as any step.
   */
  function renderGroup(group) {
    const { shown: listed, more: hidden } = TaskerBatches.firstInstances(group, limits.instances);
    if (!changed("step", [group.name, group.counts, limits.instances,
      listed.map((step) => [step.name, step.state, step.attempts, step.checkpoint && step.checkpoint.items_processed])])) {
      return;
    }
    const waitingForIt = view.steps.filter((other) => other.depends_on.includes(group.name)).map((other) => other.name);
    const table = TaskerUi.table({ class: "list instances" }, `Instances of ${group.name}`,
      ["Instance", "State", "Attempts", "Cursor", "Items processed"]);
    table.show(listed.map((step) => {
      const open = el("button", { type: "button", class: "link" }, step.name);
      open.addEventListener("click", () => select(step.name));
      const processed = step.checkpoint && step.checkpoint.items_processed;
      return el("tr", { "data-step": step.name },
        el("td", {}, open),
        el("td", {}, badge(step.state)),
        el("td", {}, `${step.attempts}/${step.max_attempts}`),
        el("td", { class: "mono" }, step.batch.cursor ? shorten(compactJson(step.batch.cursor), DETAILS_FIT) : ""),
        el("td", {}, processed === undefined || processed === null ? "" : TaskerBatches.number(Number(processed))));
    }));
    page.step.replaceChildren(
      el("h3", { id: "step-heading" }, group.label, badge(group.state)),
      facts([
        ["Type", "batch workers: the instances a batchable step created from one worker template"],
        ["Instances", TaskerBatches.countWords(group)],
        ["Waits for", group.depends_on.length ? group.depends_on.join(", ") : "nothing (a root step)"],
        ["Needed by", waitingForIt.length ? waitingForIt.join(", ") : "nothing (a final step)"],
      ]),
      el("h4", {}, "Instances"),
      table.element,
      more(hidden, PAGE.instances, () => {
        limits.instances += PAGE.instances;
        renderStep();
      }));
  }

  /** Every attempt of the step, with when it ran, for how long, how it ended and its error. */
  function attemptTable(step, tries) {
    if (tries.length === 0) return el("p", { class: "muted" }, "No attempt yet.");
    const created = new Date(task.created_at);
    const table = TaskerUi.table({ class: "list attempts" }, `Attempts of ${step.name}, oldest first`,
      ["Attempt", "Started", "Ran", "Outcome", "Error"]);
    table.show(tries.map((attempt) => {
      const ran = (attempt.end === null ? Date.now() : Date.parse(attempt.end)) - Date.parse(attempt.start);
      const message = TaskerTimeline.errorMessage(attempt.error);
      return el("tr", { class: `attempt outcome-${attempt.outcome}`, "data-attempt": attempt.attempt },
        el("td", {}, String(attempt.attempt)),
        el("td", { class: "mono", title: formatTime(attempt.start) },
          `+${formatDuration(Math.max(0, new Date(attempt.start) - created))}`),
        el("td", {}, attempt.end === null ? `${formatDuration(ran)} so far` : formatDuration(ran)),
        el("td", {}, TaskerTimeline.OUTCOME_WORDS[attempt.outcome],
          attempt.reason && attempt.outcome === "interrupted" ? ` (${attempt.reason})` : ""),
        el("td", { class: "message" }, message || ""));
    }));
    return table.element;
  }

  function renderContext() {
    const text = formatJson(task.context);
    if (changed("context", text)) page.context.textContent = text;
  }

  /** An operator's action in words: "retry by ops: the gateway is back". */
  function actionNote(metadata) {
    if (!metadata || typeof metadata.action !== "string") return null;
    return `${metadata.action} by ${metadata.actor || "anonymous"}${metadata.reason ? `: ${metadata.reason}` : ""}`;
  }

  function renderHistory() {
    if (!changed("history", [transitions.length, limits.history])) return;
    const created = new Date(task.created_at);
    const hidden = transitions.length - limits.history;
    historyMore.replaceChildren(...[more(hidden, PAGE.history, () => {
      limits.history += PAGE.history;
      renderHistory();
    })].filter(Boolean));
    historyTable.show(transitions.slice(0, limits.history).map((transition) => {
      const details = transition.metadata === null ? "" : compactJson(transition.metadata);
      const note = actionNote(transition.metadata);
      return el("tr", { class: note ? "operator" : null },
        el("td", { class: "when mono" }, formatTime(transition.created_at)),
        el("td", { class: "offset mono" }, `+${formatDuration(Math.max(0, new Date(transition.created_at) - created))}`),
        el("td", {}, transition.subject === "task" ? el("strong", {}, "task") : transition.subject),
        el("td", { class: "change" },
          transition.from_state ? [badge(transition.from_state), " to "] : "created as ", badge(transition.to_state)),
        el("td", { class: "details" }, note && el("strong", { class: "note" }, note),
          details && el("code", { title: details }, shorten(details, DETAILS_FIT))));
    }));
  }

  // The timeline fits its box, so a box that changes width draws it again.
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => task && renderGantt(), 150);
  });
  TaskerApi.onTokenChange(() => refresh.now());
  refresh.now();
})();
