"use strict";

/*
 * /ui: the newest tasks, optionally of one state, refreshed every few seconds. The state filter
 * is the page's ?state= parameter, so a filtered list can be bookmarked and shared.
 */
(() => {
  const { el, badge, stateLabel, formatTime, formatDuration, getJson, problem, refreshLater, announce } = TaskerUi;
  const REFRESH_MS = 3000;
  const LIMIT = 100;

  const state = new URLSearchParams(location.search).get("state") || "";
  const select = document.getElementById("state");
  const status = document.getElementById("status");
  const table = document.getElementById("tasks");
  const rows = table.querySelector("tbody");
  let shown = null;

  select.value = state;
  // Choosing a state is the whole form; the button stays for keyboards and for pages without JS.
  select.addEventListener("change", () => select.form.requestSubmit());

  function row(task) {
    const link = `/ui/tasks/${encodeURIComponent(task.task_uuid)}`;
    const took = task.completed_at ? formatDuration(new Date(task.completed_at) - new Date(task.created_at)) : "";
    return el("tr", {},
      el("td", { class: "mono" }, formatTime(task.created_at)),
      el("td", {}, el("a", { href: link }, `${task.namespace}/${task.name}`), el("span", { class: "muted" }, ` @${task.version}`)),
      el("td", {}, badge(task.state)),
      el("td", {}, took && `after ${took}`),
      el("td", { class: "mono" }, el("a", { href: link, "aria-label": `task ${task.task_uuid}` }, task.task_uuid)));
  }

  async function refresh() {
    const query = new URLSearchParams({ limit: LIMIT });
    if (state) query.set("state", state);
    const answer = await getJson(`/v1/tasks?${query}`);
    if (answer.status !== 200) {
      announce(status, problem(answer), true);
      // A refused filter will be refused again; anything else may pass on the next try.
      if (answer.status !== 400) refreshLater(refresh, REFRESH_MS);
      return;
    }
    const tasks = answer.body.tasks;
    const fingerprint = JSON.stringify(tasks.map((t) => [t.task_uuid, t.state]));
    if (fingerprint !== shown) {
      shown = fingerprint;
      rows.replaceChildren(...tasks.map(row));
      table.hidden = tasks.length === 0;
    }
    const noun = state ? `${stateLabel(state)} task` : "task";
    announce(status, tasks.length === 0
      ? `No ${noun}s yet. Create one with: bin/tasker task create examples/linear_workflow --context '{"even_number": 6}'`
      : `Showing the newest ${tasks.length === 1 ? noun : `${tasks.length} ${noun}s`}, `
        + `refreshed every ${REFRESH_MS / 1000} seconds.`);
    refreshLater(refresh, REFRESH_MS);
  }

  refresh();
})();
