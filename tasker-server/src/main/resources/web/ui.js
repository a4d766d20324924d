"use strict";

/*
 * What both pages share: reading the API, building elements, and showing states, times and JSON.
 * A plain script (no modules, no build step) that also loads in Node for its unit tests.
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

  /**
   * GETs a path of the API: {status, body}, body parsed when it is JSON. A network failure
   * answers status 0 with the browser's message, so callers handle one shape.
   */
  async function getJson(path) {
    let response;
    try {
      response = await fetch(path, { headers: { Accept: "application/json" } });
    } catch (error) {
      return { status: 0, body: { error: `cannot reach the Tasker server (${error.message})` } };
    }
    const text = await response.text();
    try {
      return { status: response.status, body: parseJson(text) };
    } catch {
      return { status: response.status, body: { error: text || `HTTP ${response.status}` } };
    }
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

  /** Runs `refresh` after `ms`, or once the page is visible again if nobody is looking then. */
  function refreshLater(refresh, ms) {
    setTimeout(() => {
      if (document.hidden) {
        document.addEventListener("visibilitychange", refresh, { once: true });
      } else {
        refresh();
      }
    }, ms);
  }

  return {
    FINAL_TASK_STATES, refreshLater, announce, JsonNumber, parseJson, formatJson, compactJson, getJson, problem, stateLabel,
    el, svg, badge, formatTime, formatDuration,
  };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerUi;
}
