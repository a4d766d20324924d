"use strict";

/*
 * Calls to the REST API, with the token of this browser tab. A protected API answers 401 without
 * a valid token: a dialog then asks for one, keeps it in sessionStorage (this tab only, gone when
 * it closes) and sends the call again. The header's token button enters, changes or forgets it.
 * The pages themselves are open to all; only the data they read needs the token.
 */
const TaskerApi = (() => {
  const STORAGE_KEY = "tasker.api-token";
  const CHANGED = "tasker:token-changed";

  let memory = null;

  function token() {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      // Storage can be switched off; then the token lives as long as the page.
      return memory;
    }
  }

  function keep(value) {
    memory = value;
    try {
      if (value === null) sessionStorage.removeItem(STORAGE_KEY);
      else sessionStorage.setItem(STORAGE_KEY, value);
    } catch {
      // See token().
    }
    showTokenState();
    window.dispatchEvent(new Event(CHANGED));
  }

  /** The headers of a call: JSON asked for, JSON sent when there is a body, the token when kept. */
  function headers(bearer, hasBody) {
    const sent = { Accept: "application/json" };
    if (hasBody) sent["Content-Type"] = "application/json";
    if (bearer) sent.Authorization = `Bearer ${bearer}`;
    return sent;
  }

  /**
   * One call: {status, body}, body parsed when it is JSON (numbers kept exact). A network failure
   * answers status 0 with the browser's message, so callers handle one shape.
   */
  async function send(method, path, body, bearer) {
    let response;
    try {
      response = await fetch(path, { method, headers: headers(bearer, body !== undefined), body, cache: "no-store" });
    } catch (error) {
      return { status: 0, body: { error: `cannot reach the Tasker server (${error.message})` } };
    }
    const text = await response.text();
    try {
      return { status: response.status, body: TaskerUi.parseJson(text) };
    } catch {
      return { status: response.status, body: { error: text || `HTTP ${response.status}` } };
    }
  }

  /**
   * A call with the tab's token. On 401 the user is asked for a token and the call is sent again
   * with it; when they cancel, the 401 is the answer. `body` is JSON text, or undefined for none.
   */
  async function request(method, path, body) {
    for (;;) {
      const bearer = token();
      const answer = await send(method, path, body, bearer);
      if (answer.status !== 401) return answer;
      // Another call may have got a new token while this one was on its way.
      if (token() !== bearer && token() !== null) continue;
      if ((await askForToken(TaskerUi.problem(answer))) !== "use") return answer;
    }
  }

  /** Calls that meet a 401 at the same time share one dialog. */
  let asking = null;
  function askForToken(why) {
    asking ||= tokenDialog(why).finally(() => {
      asking = null;
    });
    return asking;
  }

  /**
   * Asks for a token: `why` is the server's refusal, or null when the user opened the dialog.
   * Resolves to "use", "forget" or null (cancelled).
   */
  function tokenDialog(why) {
    const { el } = TaskerUi;
    const input = el("input", {
      id: "token-input", name: "token", type: "password", autocomplete: "off", spellcheck: "false",
      "aria-describedby": "token-hint",
    });
    const kept = token() !== null;
    return TaskerUi.askInDialog({
      title: why === null ? "API token" : "This Tasker needs an API token",
      intro: [
        why && el("p", { class: "refusal" }, `The server answered: ${why}`),
        el("p", { id: "token-hint", class: "hint" }, kept
          ? "A token is kept for this browser tab. Enter another to replace it, or forget it."
          : "Enter an API token (an operator creates one with tasker token create NAME --scope read|write|admin). "
            + "It is kept for this browser tab only, until the tab closes."),
      ],
      fields: el("div", { class: "field" }, el("label", { for: "token-input" }, "Token"), input),
      submit: { value: "use", label: "Use this token" },
      others: kept ? [{ value: "forget", label: "Forget the token" }] : [],
      onSubmit(value) {
        if (value === "forget") {
          keep(null);
          return null;
        }
        const given = input.value.trim();
        if (given === "") return "Enter a token, or Cancel.";
        if (/\s/.test(given)) return "A token has no spaces: paste the token alone, without 'Bearer'.";
        keep(given);
        return null;
      },
    });
  }

  function showTokenState() {
    const button = document.getElementById("token-button");
    if (!button) return;
    const kept = token() !== null;
    button.textContent = kept ? "API token: set" : "API token";
    button.classList.toggle("kept", kept);
  }

  /** Runs `callback` whenever the tab's token is entered, changed or forgotten. */
  function onTokenChange(callback) {
    window.addEventListener(CHANGED, callback);
  }

  // Scripts load deferred, so the page is parsed when this runs; Node, for the tests, has no page.
  if (typeof document === "object") {
    showTokenState();
    const button = document.getElementById("token-button");
    if (button) button.addEventListener("click", () => tokenDialog(null));
  }

  return {
    headers,
    request,
    getJson: (path) => request("GET", path),
    post: (path, body) => request("POST", path, body),
    onTokenChange,
    /** Words for a refused read, saying what to do about it. */
    refusal(answer) {
      const problem = TaskerUi.problem(answer);
      if (answer.status === 401) return `${problem}. Enter a token with the API token button at the top.`;
      if (answer.status === 403) return `${problem}. Enter a token with a larger scope with the API token button at the top.`;
      return problem;
    },
  };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerApi;
}
