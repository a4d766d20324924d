"use strict";

/*
 * /ui/templates/{namespace}/{name}?version=: a template's steps as a DAG and a table (handler,
 * retries, timeout), its input schema, and a link to its tasks. The newest version without
 * ?version.
 */
(() => {
  const { el, formatTime, formatJson, problem, announce, facts, shorten, typeWords } = TaskerUi;
  /** How many characters of a handler's name fit beside the attempts in a box. */
  const HANDLER_FITS = 18;

  const [namespace, name] = location.pathname.split("/").filter(Boolean).slice(2).map(decodeURIComponent);
  const version = new URLSearchParams(location.search).get("version");
  const api = `/v1/templates/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`
    + (version ? `?version=${encodeURIComponent(version)}` : "");
  const page = TaskerUi.elements("title", "status", "template", "description", "summary", "dag", "input-schema");
  const stepTable = TaskerUi.table({ class: "list" }, "The template's steps in order",
    ["Step", "Waits for", "Handler", "Attempts", "Timeout"]);
  document.getElementById("steps").append(stepTable.element);

  /** The handler a step names: a callable, given as text or as {callable, initialization}. */
  function handlerOf(step) {
    const handler = step.handler;
    return typeof handler === "string" ? handler : (handler && handler.callable) || "";
  }

  /** The last part of a handler's name, which is what fits in a box. */
  function shortHandler(handler) {
    return handler.split(/\.|::/).pop();
  }

  /** How many times the step may run: once when it is not retryable, else as its retry policy says. */
  function maxAttempts(step) {
    const retry = step.retry || {};
    if (retry.retryable === false) return 1;
    return Number.isInteger(retry.max_attempts) ? retry.max_attempts : null;
  }

  function render(template) {
    page.title.replaceChildren(`${template.namespace}/${template.name}`,
      el("span", { class: "muted" }, ` @${template.version}`));
    document.title = `${template.name} @${template.version} - Tasker`;
    page.description.textContent = template.description || "";
    const tasks = `/ui?namespace=${encodeURIComponent(template.namespace)}&name=${encodeURIComponent(template.name)}`;
    page.summary.replaceChildren(...facts([
      ["Version", template.version],
      ["Steps", String(template.steps.length)],
      ["Identity", template.identity_strategy],
      ["Registered", formatTime(template.registered_at)],
      ["Tasks", el("a", { href: tasks }, `Tasks of ${template.namespace}/${template.name}`)],
    ]).children);

    const drawn = TaskerDag.draw(TaskerDag.layout(template.steps), "steps-heading", null);
    for (const step of template.steps) {
      const box = drawn.boxes.get(step.name);
      const attempts = maxAttempts(step);
      box.left.textContent = shorten(shortHandler(handlerOf(step)), HANDLER_FITS);
      box.right.textContent = attempts === null ? "" : `${attempts} attempt${attempts === 1 ? "" : "s"}`;
      box.tooltip.textContent = `${step.name}${typeWords(step)}: ${handlerOf(step)}`;
      box.group.setAttribute("aria-label", `${step.name}${typeWords(step)}, handler ${handlerOf(step)}`
        + (step.depends_on.length ? `, waits for ${step.depends_on.join(", ")}` : ""));
      box.group.setAttribute("class", `step template-step type-${step.type || "standard"}`);
    }
    page.dag.replaceChildren(drawn.root);

    stepTable.show(template.steps.map((step) => el("tr", { "data-step": step.name },
      el("td", {}, el("strong", {}, step.name), typeWords(step)),
      el("td", {}, step.depends_on.length ? step.depends_on.join(", ") : "nothing"),
      el("td", {}, el("code", {}, handlerOf(step))),
      el("td", {}, maxAttempts(step) === null ? "" : String(maxAttempts(step))),
      el("td", {}, step.timeout_seconds ? `${step.timeout_seconds} s` : ""))));
    page.inputSchema.textContent = template.input_schema ? formatJson(template.input_schema) : "No input schema.";
    page.template.hidden = false;
  }

  async function load() {
    const answer = await TaskerApi.getJson(api);
    if (answer.status === 200) {
      render(answer.body);
      announce(page.status, "");
      return;
    }
    page.template.hidden = true;
    if (answer.status === 404) {
      page.title.textContent = "No such template";
      announce(page.status, `${problem(answer)}.`, true);
    } else {
      announce(page.status, TaskerApi.refusal(answer), true);
    }
  }

  TaskerApi.onTokenChange(load);
  load();
})();
