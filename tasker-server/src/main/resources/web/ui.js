"use strict";

/*
 * What every page shares: building elements and dialogs, refreshing, and showing states, times
 * and JSON. A plain script (no modules, no build step) that also loads in Node for its unit tests.
 */
const TaskerUi = (() => {
  /** States after which a task no longer changes by itself. */
  const FINAL_TASK_STATES = new Set(["complete", "error", "cancelled", "resolved_manually"]);

  /**
   * A number whose JSON text a JavaScript number cannot hold exactly (a big integer, many
   * decimals). The API keeps such numbers exact, so the UI shows their text as sent.
   */
  class JsonNumber {
    constructor(text) {
      this.text = text;
    }

    toString() {
      return this.text;
    }
  }

  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const LITERALS = [["true", true], ["false", false], ["null", null]];

  /** JSON.parse, except that a number JavaScript would round comes back as a JsonNumber. */
  function parseJson(text) {
    let at = 0;
    const fail = (what) => {
      throw new SyntaxError(`${what} at position ${at} of the JSON`);
    };
    const skipSpace = () => {
      while (at < text.length && " \t\n\r".includes(text[at])) at++;
    };
    const match = (pattern) => {
      pattern.lastIndex = at;
      const found = pattern.exec(text);
      if (found) at = pattern.lastIndex;
      return found && found[0];
    };
    const expect = (char) => {
      skipSpace();
      if (text[at] !== char) fail(`expected '${char}'`);
      at++;
    };
    const string = () => {
      const found = match(STRING);
      if (found === null) fail("malformed string");
      return JSON.parse(found);
    };
    const items = (close, item) => {
      skipSpace();
      if (text[at] === close) {
        at++;
        return;
      }
      for (;;) {
        item();
        skipSpace();
        if (text[at] === close) {
          at++;
          return;
        }
        expect(",");
      }
    };
    const value = () => {
      skipSpace();
      const char = text[at];
      if (char === "{") {
        at++;
        const object = {};
        items("}", () => {
          skipSpace();
          const key = string();
          expect(":");
          // defineProperty, as JSON.parse does: a key "__proto__" is data, not the prototype
          Object.defineProperty(object, key, { value: value(), enumerable: true, writable: true, configurable: true });
        });
        return object;
      }
      if (char === "[") {
        at++;
        const array = [];
        items("]", () => array.push(value()));
        return array;
      }
      if (char === '"') return string();
      for (const [word, literal] of LITERALS) {
        if (text.startsWith(word, at)) {
          at += word.length;
          return literal;
        }
      }
      const number = match(NUMBER);
      if (number === null) fail("unexpected character");
      const parsed = Number(number);
      return String(parsed) === number ? parsed : new JsonNumber(number);
    };
    const result = value();
    skipSpace();
    if (at !== text.length) fail("unexpected text after the value");
    return result;
  }

  /** Indented JSON text of a parsed value, with JsonNumbers written as they were sent. */
  function formatJson(value, indent = "") {
    if (value instanceof JsonNumber) return value.text;
    const inner = indent + "  ";
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      return "[\n" + value.map((item) => inner + formatJson(item, inner)).join(",\n") + "\n" + indent + "]";
    }
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      if (keys.length === 0) return "{}";
      const fields = keys.map((key) => inner + JSON.stringify(key) + ": " + formatJson(value[key], inner));
      return "{\n" + fields.join(",\n") + "\n" + indent + "}";
    }
    return JSON.stringify(value);
  }

  /** One line of JSON, for tables. */
  function compactJson(value) {
    return formatJson(value).replace(/\n\s*/g, " ");
  }

  /** The API's error message from an answer, or the status when it sent none. */
  function problem(answer) {
    return (answer.body && answer.body.error) || `the server answered HTTP ${answer.status}`;
  }

  function stateLabel(state) {
    return String(state).replaceAll("_", " ");
  }

  /**
   * An element: el("a", {href: "/ui", class: "brand"}, "Tasker"). Children are nodes or text,
   * never markup, so data from the API cannot inject any.
   */
  function el(tag, attributes = {}, ...children) {
    return fill(document.createElement(tag), attributes, children);
  }

  /** The same for SVG elements. */
  function svg(tag, attributes = {}, ...children) {
    return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attributes, children);
  }

  function fill(element, attributes, children) {
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== null && value !== undefined && value !== false) {
        element.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) {
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return element;
  }

  /** A state as a badge: its name in words, its color from the stylesheet. */
  function badge(state) {
    return el("span", { class: `badge state-${state}` }, stateLabel(state));
  }

  const pad = (number, width = 2) => String(number).padStart(width, "0");

  /** "2026-11-26 13:41:34.123" in the browser's time zone; "" for none. */
  function formatTime(iso) {
    if (!iso) return "";
    const t = new Date(iso);
    if (Number.isNaN(t.getTime())) return String(iso);
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} `
      + `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`;
  }

  /** "850 ms", "3.2 s", "4 min 5 s", "2 h 3 min". */
  function formatDuration(ms) {
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
    const seconds = Math.round(ms / 1000);
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
    return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  }

  /**
   * Puts `text` in a live region, marked as a problem or not. Only a change is written: the same
   * words written again would make screen readers repeat them at every refresh.
   */
  function announce(region, text, isProblem = false) {
    if (region.textContent !== text) region.textContent = text;
    region.classList.toggle("problem", isProblem);
  }

  /**
   * Runs `load` now or later, one run at a time: a run asked for while one is under way follows
   * it, and a later run replaces any other one waiting. A page nobody looks at is not refreshed
   * until it is visible again.
   */
  function refresher(load) {
    let timer = null;
    let running = false;
    let again = false;
    let waitingForSight = false;
    async function now() {
      clearTimeout(timer);
      timer = null;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        await load();
      } finally {
        running = false;
      }
      if (again) {
        again = false;
        await now();
      }
    }
    function whenSeen() {
      if (!document.hidden) {
        now();
      } else if (!waitingForSight) {
        waitingForSight = true;
        document.addEventListener("visibilitychange", () => {
          waitingForSight = false;
          now();
        }, { once: true });
      }
    }
    return {
      now,
      later(ms) {
        clearTimeout(timer);
        timer = setTimeout(whenSeen, ms);
      },
      stop() {
        clearTimeout(timer);
        timer = null;
      },
    };
  }

  /** The page's elements of these ids, by id in camelCase: elements("task-actions").taskActions. */
  function elements(...ids) {
    return Object.fromEntries(ids.map((id) => [id.replace(/-(\w)/g, (_, letter) => letter.toUpperCase()),
      document.getElementById(id)]));
  }

  /**
   * A table with a hidden caption and a header row of `columns`. show(rows) puts rows (tr
   * elements) in its body and gives each cell its column's name as data-label, which narrow
   * screens show beside the cell when the table turns into a card per row.
   */
  function table(attributes, caption, columns) {
    const body = el("tbody");
    const element = el("table", attributes, el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, columns.map((column) => el("th", { scope: "col" }, column)))), body);
    return {
      element,
      show(rows) {
        for (const row of rows) {
          [...row.cells].forEach((cell, i) => cell.setAttribute("data-label", columns[i]));
        }
        body.replaceChildren(...rows);
      },
    };
  }

  /** A definition list of [term, value] pairs, leaving out those without a value. */
  function facts(pairs, attributes = { class: "summary" }) {
    return el("dl", attributes, pairs.filter(([, value]) => value !== null && value !== undefined && value !== "")
      .flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
  }

  /**
   * A message of the API split at its backticks, for showing the quoted parts as code:
   * "no live worker runs `A::B`" is [{text: "no live worker runs ", code: false}, {text: "A::B", code: true}].
   */
  function codeParts(text) {
    return text.split("`").map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((part) => part.text !== "");
  }

  /** `text` cut to `length` characters with an ellipsis, for boxes and table cells. */
  function shorten(text, length) {
    return text.length > length ? text.slice(0, length - 1) + "\u2026" : text;
  }

  /**
   * A modal dialog with a form: a title, an introduction, `fields` (nodes), a line for problems
   * and buttons, `submit` first. A button other than Cancel calls `onSubmit(value, form)`, which
   * answers a problem to show (the dialog stays open) or nothing (it closes). Resolves to the value
   * of the button that closed it, or null for Cancel or Escape. The dialog is built for one use and
   * removed afterwards, so nothing typed into it stays in the page.
   */
  let dialogs = 0;
  function askInDialog({ title, intro = null, fields = [], submit, others = [], onSubmit }) {
    dialogs++;
    const heading = el("h2", { id: `dialog-${dialogs}-title` }, title);
    const problemLine = el("p", { class: "problem", role: "alert" });
    const buttons = [submit, ...others].map(({ value, label }, i) =>
      el("button", { type: "submit", value, class: i === 0 ? "primary" : null }, label));
    const cancel = el("button", { type: "button", value: "cancel" }, "Cancel");
    const form = el("form", { method: "dialog" }, heading, intro && el("div", { class: "intro" }, intro), fields,
      problemLine, el("div", { class: "buttons" }, buttons, cancel));
    const dialog = el("dialog", { "aria-labelledby": heading.id }, form);
    document.body.append(dialog);
    return new Promise((resolve) => {
      let answer = null;
      let waiting = false;
      const busy = (on) => {
        waiting = on;
        [...buttons, cancel].forEach((button) => { button.disabled = on; });
      };
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const value = event.submitter ? event.submitter.value : submit.value;
        busy(true);
        let refusal;
        try {
          refusal = await onSubmit(value, form);
        } finally {
          busy(false);
        }
        if (refusal) {
          announce(problemLine, refusal, true);
        } else {
          answer = value;
          dialog.close();
        }
      });
      cancel.addEventListener("click", () => dialog.close());
      // Escape while the server works would hide whether the action was done.
      dialog.addEventListener("cancel", (event) => {
        if (waiting) event.preventDefault();
      });
      dialog.addEventListener("close", () => {
        dialog.remove();
        resolve(answer);
      });
      dialog.showModal();
    });
  }

  /**
   * " (decision)" or " (deferred convergence)" after a step's name, nothing for a standard step: a
   * decision creates the steps it chooses, a deferred convergence step waits for those of its
   * dependencies that were created (docs/dynamic-workflows.md).
   */
  function typeWords(step) {
    return step.type && step.type !== "standard" ? ` (${stateLabel(step.type)})` : "";
  }

  /**
   * The line under a list that shows only its first items: "and 9,950 more" and a button that
   * calls `onMore()` to show `next` more of them. Nothing when none is hidden.
   */
  function more(hidden, next, onMore) {
    if (hidden <= 0) return null;
    const button = el("button", { type: "button", class: "link" },
      `Show ${Math.min(hidden, next).toLocaleString("en-US")} more`);
    button.addEventListener("click", onMore);
    return el("p", { class: "more muted" }, `and ${hidden.toLocaleString("en-US")} more `, button);
  }

  return {
    FINAL_TASK_STATES, refresher, announce, askInDialog, JsonNumber, parseJson, formatJson, compactJson, problem,
    stateLabel, el, svg, badge, elements, table, facts, shorten, codeParts, formatTime, formatDuration, typeWords,
    more,
  };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerUi;
}
