"use strict";

/* /ui/templates: every registered version of every template, each linked to its page. */
(() => {
  const { el, formatTime, announce, shorten } = TaskerUi;
  const DESCRIPTION_FITS = 160;

  const status = document.getElementById("status");
  const table = TaskerUi.table({ id: "templates", class: "list", hidden: true },
    "The templates tasks can be created from, every registered version",
    ["Template", "Version", "Steps", "Description", "Registered"]);
  document.getElementById("list").append(table.element);

  function row(template) {
    const link = `/ui/templates/${encodeURIComponent(template.namespace)}/${encodeURIComponent(template.name)}`
      + `?version=${encodeURIComponent(template.version)}`;
    const description = template.description || "";
    return el("tr", { "data-template": `${template.namespace}/${template.name}` },
      el("td", {}, el("a", { href: link }, `${template.namespace}/${template.name}`)),
      el("td", { class: "mono" }, template.version),
      el("td", {}, String(template.steps.length)),
      el("td", { title: description }, shorten(description, DESCRIPTION_FITS)),
      el("td", { class: "mono" }, formatTime(template.registered_at)));
  }

  async function load() {
    const answer = await TaskerApi.getJson("/v1/templates");
    if (answer.status !== 200) {
      announce(status, TaskerApi.refusal(answer), true);
      return;
    }
    const templates = [...answer.body.templates].sort((a, b) => a.namespace.localeCompare(b.namespace)
      || a.name.localeCompare(b.name) || b.registered_at.localeCompare(a.registered_at));
    table.show(templates.map(row));
    table.element.hidden = templates.length === 0;
    announce(status, templates.length === 0
      ? "No template is registered. tasker dev --templates DIR registers yours."
      : `${templates.length} registered template version${templates.length === 1 ? "" : "s"}.`);
  }

  TaskerApi.onTokenChange(load);
  load();
})();
