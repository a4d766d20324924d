"use strict";

/*
 * An operator's actions on a task page: cancel the task, and retry, resolve or complete by hand a
 * step in error. Which actions a state allows and what each sends are pure functions, so Node can
 * test them; confirm() asks in a dialog (with an optional reason) and calls the API, showing the
 * server's refusal (a 403 naming the scope needed, a 409 naming the state) in the dialog.
 */
const TaskerActions = (() => {
  /** Task states a cancel can still stop; the others are final. */
  const CANCELLABLE = new Set(["pending", "in_progress", "error"]);
  const MAX_REASON = 1000;

  const ACTIONS = {
    cancel: {
      label: "Cancel task",
      confirm: "Cancel the task",
      title: (task) => `Cancel the task ${task.namespace}/${task.name}?`,
      explain: "Every step not finished becomes cancelled; a step that runs now is told to stop, and its result "
        + "is not recorded. A cancelled task cannot be resumed.",
      scope: "write",
    },
    retry: {
      label: "Retry",
      confirm: "Retry the step",
      title: (task, step) => `Retry the step ${step.name}?`,
      explain: "The step runs again, with as many attempts again as its template gives it; the task continues "
        + "from there.",
      scope: "write",
    },
    resolve: {
      label: "Resolve",
      confirm: "Resolve the step",
      title: (task, step) => `Resolve the step ${step.name} by hand?`,
      explain: "The step counts as done without a result: the steps that wait for it run, and see no result from "
        + "it.",
      scope: "admin",
    },
    complete: {
      label: "Complete with result",
      confirm: "Complete the step",
      title: (task, step) => `Complete the step ${step.name} by hand?`,
      explain: "The step is complete with the result given here, and the steps that wait for it see that result.",
      scope: "admin",
      needsResult: true,
    },
  };

  /** The actions a task allows on itself. */
  function forTask(task) {
    return CANCELLABLE.has(task.state) ? ["cancel"] : [];
  }

  /** The actions a step allows: all three for a step in error, none otherwise. */
  function forStep(step) {
    return step.state === "error" ? ["retry", "resolve", "complete"] : [];
  }

  function path(action, taskId, step) {
    const task = `/v1/tasks/${encodeURIComponent(taskId)}`;
    return action === "cancel" ? `${task}/cancel` : `${task}/steps/${encodeURIComponent(step.step_uuid)}/${action}`;
  }

  /**
   * The request body: undefined when there is nothing to say (no reason, no result), else JSON
   * text. The result goes in as the user wrote it, so its numbers keep every digit; it must be
   * JSON, which `TaskerUi.parseJson` checks first (a SyntaxError says where it is not).
   */
  function body(reason, resultText) {
    const fields = [];
    if (resultText !== undefined) {
      TaskerUi.parseJson(resultText);
      fields.push(`"result": ${resultText.trim()}`);
    }
    const why = (reason || "").trim();
    if (why) fields.push(`"reason": ${JSON.stringify(why)}`);
    return fields.length === 0 ? undefined : `{${fields.join(", ")}}`;
  }

  /**
   * A button for `action` that asks to confirm it and does it; `done()` runs after the dialog
   * closes, whatever happened, for the page to show the task as it is now.
   */
  function button(action, task, step, done) {
    const { el } = TaskerUi;
    const spec = ACTIONS[action];
    const name = step ? `${spec.label} ${step.name}` : spec.label;
    const control = el("button", {
      type: "button", class: `action action-${action}`, "data-action": action, "data-step": step && step.name,
      "aria-label": name, title: `${spec.explain} Needs a token of scope ${spec.scope}.`,
    }, spec.label);
    control.addEventListener("click", async () => {
      await confirm(action, task, step);
      done();
    });
    return control;
  }

  /** Asks to confirm `action`, then does it. Resolves to the task as the server answered, or null. */
  async function confirm(action, task, step) {
    const { el } = TaskerUi;
    const spec = ACTIONS[action];
    const reason = el("input", { id: "action-reason", name: "reason", maxlength: MAX_REASON, autocomplete: "off" });
    const result = spec.needsResult ? el("textarea", {
      id: "action-result", name: "result", rows: 6, spellcheck: "false", required: true,
    }, "{\n  \n}") : null;
    let answered = null;
    const closedWith = await TaskerUi.askInDialog({
      title: spec.title(task, step),
      intro: el("p", {}, spec.explain, " ", el("span", { class: "hint" }, `(Needs a token of scope ${spec.scope}.)`)),
      fields: [
        result && el("div", { class: "field" }, el("label", { for: "action-result" }, "Result (JSON)"), result),
        el("div", { class: "field" }, el("label", { for: "action-reason" }, "Reason (optional, kept in the history)"),
          reason),
      ],
      submit: { value: "confirm", label: spec.confirm },
      async onSubmit() {
        let sent;
        try {
          sent = body(reason.value, result ? result.value : undefined);
        } catch (error) {
          return `The result is not JSON: ${error.message}.`;
        }
        const answer = await TaskerApi.post(path(action, task.task_uuid, step), sent);
        if (answer.status === 200) {
          answered = answer.body;
          return null;
        }
        return refusal(answer);
      },
    });
    return closedWith === "confirm" ? answered : null;
  }

  /** The server's reason for refusing, and what the user can do about it. */
  function refusal(answer) {
    const problem = TaskerUi.problem(answer);
    if (answer.status === 401) return `${problem}. Without a token nothing was done.`;
    if (answer.status === 403) {
      return `${problem}. Nothing was done; close this and enter a token with a larger scope with the API token `
        + "button at the top.";
    }
    if (answer.status === 409) return `${problem}. Nothing was done; the page shows the task as it is now.`;
    return `${problem}.`;
  }

  return { ACTIONS, forTask, forStep, path, body, button, confirm };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerActions;
}
