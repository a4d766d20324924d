"use strict";

/*
 * /ui: tasks, newest first, filtered as GET /v1/tasks filters them and paged with its cursors,
 * refreshed every few seconds. The filters and the page's cursor are the page's address, so a
 * list can be bookmarked and shared; the way back to earlier pages is kept in the browser's
 * history, so Back goes to the previous page too.
 */
(() => {
  const { el, badge, stateLabel, formatTime, formatDuration, announce, refresher, shorten, FINAL_TASK_STATES } = TaskerUi;
  const Query = TaskerTaskQuery;
  const REFRESH_MS = 3000;
  const MESSAGE_FITS = 140;
  /** The filter form's fields, one for each filter of the API; `list` offers known values. */
  const FIELDS = {
    state: { label: "State" },
    namespace: { label: "Namespace", list: "known-namespaces" },
    name: { label: "Template", list: "known-names" },
    q: { label: "Id starts with", placeholder: "4 or more hex digits" },
    initiator: { label: "Initiator" },
    correlation_id: { label: "Correlation id" },
    created_from: { label: "Created from", type: "datetime-local" },
    created_to: { label: "Created before", type: "datetime-local" },
  };
  const STATE_CHOICES = [["", "any"], ["pending,in_progress", "not finished"],
    ...["pending", "in_progress", "complete", "error", "cancelled", "resolved_manually"]
      .map((state) => [state, stateLabel(state)])];

  const { filters: form, status, list, pager, previousPage: previousButton, nextPage: nextButton, pageNumber } =
    TaskerUi.elements("filters", "status", "list", "pager", "previous-page", "next-page", "page-number");
  const table = TaskerUi.table({ id: "tasks", class: "list", hidden: true }, "Tasks, newest first",
    ["Created", "Task", "State", "Duration", "Error", "Id"]);
  list.append(table.element);

  form.prepend(...Query.FILTERS.map((name) => {
    const field = FIELDS[name];
    const id = `filter-${name}`;
    const control = name === "state"
      ? el("select", { id, name }, STATE_CHOICES.map(([value, label]) => el("option", { value }, label)))
      : el("input", {
        id, name, type: field.type || "text", list: field.list, placeholder: field.placeholder,
        step: field.type ? 1 : null, autocomplete: "off", spellcheck: "false",
      });
    return el("div", { class: "field" }, el("label", { for: id }, field.label), control);
  }), el("datalist", { id: "known-namespaces" }), el("datalist", { id: "known-names" }));
  const stateSelect = form.elements.state;

  let view = Query.fromSearch(location.search);
  let trail = trailOf(history.state);
  let nextCursor = null;
  let shown = null;
  let namesOffered = false;
  const refresh = refresher(load);

  function trailOf(state) {
    return state && Array.isArray(state.trail) ? state.trail : [];
  }

  /** Shows `next` (a view and its trail), as a new entry of the browser's history. */
  function go(next) {
    view = next.view;
    trail = next.trail;
    history.pushState({ trail }, "", `/ui${Query.toSearch(view)}`);
    fillForm();
    shown = null;
    refresh.now();
  }

  function fillForm() {
    const state = view.filters.state || "";
    if (![...stateSelect.options].some((option) => option.value === state)) {
      // A combination of states from an address: offer it as it is.
      stateSelect.append(el("option", { value: state }, state.split(",").map(stateLabel).join(" or ")));
    }
    for (const name of Query.FILTERS) {
      const value = view.filters[name] || "";
      form.elements[name].value = Query.INSTANTS.has(name) ? Query.localInput(value) || "" : value;
    }
  }

  function row(task) {
    const link = `/ui/tasks/${encodeURIComponent(task.task_uuid)}`;
    const counts = Object.entries(task.step_counts || {});
    const total = counts.reduce((sum, [, count]) => sum + count, 0);
    const complete = (task.step_counts || {}).complete || 0;
    const error = task.last_error;
    const message = error && `${error.step_name}: ${error.message}`;
    return el("tr", { "data-task": task.task_uuid, "data-state": task.state },
      el("td", { class: "mono" }, formatTime(task.created_at)),
      el("td", { class: "task" }, el("a", { href: link }, `${task.namespace}/${task.name}`),
        el("span", { class: "muted" }, ` @${task.version}`),
        task.initiator && el("div", { class: "muted small" }, `by ${task.initiator}`)),
      el("td", {}, badge(task.state),
        total > 0 && el("div", { class: "muted small" }, `${complete} of ${total} steps complete`)),
      el("td", {}, formatDuration(task.duration_ms), FINAL_TASK_STATES.has(task.state) ? "" : " so far"),
      el("td", { class: "error-cell" },
        message && el("span", { class: "message", title: message }, shorten(message, MESSAGE_FITS))),
      el("td", { class: "mono id" }, el("a", { href: link, "aria-label": `task ${task.task_uuid}` }, task.task_uuid)));
  }

  async function load() {
    const asked = Query.apiPath(view);
    const answer = await TaskerApi.getJson(asked);
    if (asked !== Query.apiPath(view)) return; // the view changed meanwhile; its own load follows
    if (answer.status !== 200) {
      announce(status, TaskerApi.refusal(answer), true);
      // A refused filter or token is refused again until it changes; anything else may pass on the next try.
      if (![400, 401, 403].includes(answer.status)) refresh.later(REFRESH_MS);
      return;
    }
    const tasks = answer.body.tasks;
    nextCursor = answer.body.next_cursor;
    const fingerprint = JSON.stringify(tasks.map((t) => [t.task_uuid, t.state, t.duration_ms, t.step_counts]));
    if (fingerprint !== shown) {
      shown = fingerprint;
      table.show(tasks.map(row));
      table.element.hidden = tasks.length === 0;
    }
    renderPager();
    announce(status, summary(tasks.length));
    refresh.later(REFRESH_MS);
    if (!namesOffered) {
      // Only after a list was read: a token refused here must not be asked for a second time.
      namesOffered = true;
      offerTemplateNames();
    }
  }

  function renderPager() {
    const number = Query.pageNumber(view, trail);
    pager.hidden = !view.cursor && !nextCursor;
    previousButton.disabled = !view.cursor;
    nextButton.disabled = !nextCursor;
    pageNumber.textContent = number === null ? "" : `Page ${number}`;
  }

  function summary(count) {
    const filtered = Query.isFiltered(view);
    if (count === 0) {
      if (view.cursor) return "No more tasks on this page.";
      return filtered ? "No task matches these filters."
        : "No tasks yet. Create one with: bin/tasker task create examples/linear_workflow --context '{\"even_number\": 6}'";
    }
    const noun = count === 1 ? "task" : `${count} tasks`;
    const matching = filtered ? ` that match${count === 1 ? "es" : ""} the filters` : "";
    return `Showing ${view.cursor ? "" : "the newest "}${noun}${matching}, `
      + `refreshed every ${REFRESH_MS / 1000} seconds.`;
  }

  /** The namespaces and names of the templates, offered as the filters are typed. */
  async function offerTemplateNames() {
    const answer = await TaskerApi.getJson("/v1/templates");
    if (answer.status !== 200) {
      namesOffered = false;
      return;
    }
    const options = (id, values) => document.getElementById(id)
      .replaceChildren(...[...new Set(values)].sort().map((value) => el("option", { value })));
    options("known-namespaces", answer.body.templates.map((template) => template.namespace));
    options("known-names", answer.body.templates.map((template) => template.name));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go({ view: Query.fromForm(new FormData(form), view.limit), trail: [] });
  });
  // Choosing a state is the whole form; the button stays for the other fields and for keyboards.
  stateSelect.addEventListener("change", () => form.requestSubmit());
  previousButton.addEventListener("click", () => go(Query.previousPage(view, trail)));
  nextButton.addEventListener("click", () => go(Query.nextPage(view, trail, nextCursor)));
  window.addEventListener("popstate", (event) => {
    view = Query.fromSearch(location.search);
    trail = trailOf(event.state);
    fillForm();
    shown = null;
    refresh.now();
  });
  TaskerApi.onTokenChange(() => refresh.now());

  history.replaceState({ trail }, "");
  fillForm();
  refresh.now();
})();
