// Draws /openapi.json as a readable page: every operation with its scope, parameters, body and
// answers. Built with DOM calls only (no innerHTML), from nothing but this server.
"use strict";

const METHODS = ["get", "post", "put", "patch", "delete"];
const MAX_DEPTH = 6;

function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// The small part of Markdown the document uses: paragraphs, `code` and **strong**.
function inline(text, into) {
  for (const part of String(text).replace(/\s*\n\s*/g, " ").split(/(`[^`]+`|\*\*[^*]+\*\*)/)) {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) into.append(el("code", null, part.slice(1, -1)));
    else if (part.startsWith("**") && part.endsWith("**") && part.length > 3) into.append(el("strong", null, part.slice(2, -2)));
    else if (part) into.append(part);
  }
  return into;
}

function prose(text) {
  const wrapper = el("div", "prose");
  for (const paragraph of String(text || "").trim().split(/\n\s*\n/)) {
    if (paragraph) wrapper.append(inline(paragraph, el("p")));
  }
  return wrapper;
}

function resolve(doc, node) {
  let current = node;
  for (let hops = 0; current && current.$ref && hops < 10; hops++) {
    current = current.$ref.replace(/^#\//, "").split("/")
      .reduce((at, key) => (at ? at[key.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined), doc);
  }
  return current || {};
}

function refName(node) {
  return node && node.$ref ? node.$ref.split("/").pop() : null;
}

function typeText(doc, schema) {
  const resolved = resolve(doc, schema);
  const types = [].concat(resolved.type || (resolved.allOf ? "object" : resolved.properties ? "object" : "any"));
  let text = types.map(type => (type === "array" && resolved.items ? typeText(doc, resolved.items) + "[]" : type))
    .join(" | ");
  if (resolved.format) text += " (" + resolved.format + ")";
  if (resolved.enum) text += ": " + resolved.enum.join(", ");
  const name = refName(schema);
  return name ? name + " " + text : text;
}

// An object's fields, allOf parts merged, nested objects drawn below their field.
function fields(doc, schema) {
  const resolved = resolve(doc, schema);
  const merged = { properties: {}, required: [] };
  for (const part of [resolved].concat((resolved.allOf || []).map(p => resolve(doc, p)))) {
    Object.assign(merged.properties, part.properties || {});
    merged.required.push(...(part.required || []));
  }
  return merged;
}

function schemaView(doc, schema, depth, seen) {
  const resolved = resolve(doc, schema);
  const target = resolved.type === "array" || (Array.isArray(resolved.type) && resolved.type.includes("array"))
    ? resolve(doc, resolved.items || {}) : resolved;
  const { properties, required } = fields(doc, target);
  const names = Object.keys(properties);
  const name = refName(schema) || refName(resolved.items);
  if (!names.length || depth > MAX_DEPTH || (name && seen.has(name))) return null;
  const nextSeen = new Set(seen);
  if (name) nextSeen.add(name);
  const list = el("ul", "schema");
  for (const field of names) {
    const property = properties[field];
    const resolvedProperty = resolve(doc, property);
    list.append(el("li", null,
      el("span", "name", field), " ", el("span", "type", typeText(doc, property)),
      required.includes(field) ? el("span", "required", " required") : null,
      resolvedProperty.description ? inline(" — " + resolvedProperty.description.trim(), el("span", "note")) : null,
      schemaView(doc, property, depth + 1, nextSeen)));
  }
  return list;
}

function scopeOf(doc, operation) {
  const security = operation.security !== undefined ? operation.security : doc.security || [];
  if (!security.length) return "open";
  const requirement = security[0];
  const scopes = requirement[Object.keys(requirement)[0]] || [];
  return scopes[0] || "token";
}

function parametersView(doc, pathItem, operation) {
  const params = (pathItem.parameters || []).concat(operation.parameters || []).map(p => resolve(doc, p));
  if (!params.length) return null;
  const table = el("table", null, el("tr", null, el("th", null, "name"), el("th", null, "in"),
    el("th", null, "type"), el("th", null, "")));
  for (const param of params) {
    table.append(el("tr", null, el("td", null, el("code", null, param.name)), el("td", null, param.in),
      el("td", null, typeText(doc, param.schema || {})),
      el("td", null, param.required ? "required. " : "", param.description ? prose(param.description) : null,
        param.example !== undefined ? el("span", "note", "e.g. " + param.example) : null)));
  }
  return el("section", null, el("h4", null, "Parameters"), table);
}

function bodyView(doc, operation) {
  if (!operation.requestBody) return null;
  const body = resolve(doc, operation.requestBody);
  const section = el("section", null, el("h4", null, "Request body" + (body.required ? "" : " (optional)")));
  if (body.description) section.append(prose(body.description));
  for (const [type, media] of Object.entries(body.content || {})) {
    section.append(el("p", null, el("code", null, type), " ", el("span", "type", typeText(doc, media.schema || {}))));
    section.append(schemaView(doc, media.schema || {}, 0, new Set()) || "");
    if (media.example !== undefined) section.append(el("pre", null, JSON.stringify(media.example, null, 2)));
  }
  return section;
}

function responsesView(doc, operation) {
  const table = el("table", null, el("tr", null, el("th", null, "status"), el("th", null, "")));
  for (const [status, reference] of Object.entries(operation.responses || {})) {
    const response = resolve(doc, reference);
    const cell = el("td", null, prose(response.description));
    for (const [type, media] of Object.entries(response.content || {})) {
      cell.append(el("p", "type", type + ": " + typeText(doc, media.schema || {})));
      if (status.startsWith("2")) cell.append(schemaView(doc, media.schema || {}, 0, new Set()) || "");
    }
    for (const header of Object.keys(response.headers || {})) {
      cell.append(el("p", "note", "header ", el("code", null, header)));
    }
    table.append(el("tr", null, el("td", "status", status), cell));
  }
  return el("section", null, el("h4", null, "Answers"), table);
}

function operationView(doc, path, pathItem, method, operation) {
  const scope = scopeOf(doc, operation);
  const id = "op-" + (operation.operationId || method + path.replace(/[^a-z0-9]+/gi, "-"));
  const details = el("details", "operation",
    el("summary", null, el("span", "method " + method, method), el("span", "path", path),
      el("span", "summary", operation.summary || ""),
      el("span", "scope " + scope, scope === "open" ? "no token" : "scope " + scope)),
    el("div", "body", operation.description ? prose(operation.description) : null,
      parametersView(doc, pathItem, operation), bodyView(doc, operation), responsesView(doc, operation)));
  details.id = id;
  details.dataset.search = [method, path, operation.summary, (operation.tags || []).join(" ")].join(" ").toLowerCase();
  return details;
}

function render(doc) {
  document.title = doc.info.title;
  document.getElementById("title").textContent = doc.info.title + " " + (doc.info.version || "");
  const content = document.getElementById("content");
  const toc = document.getElementById("toc");
  content.replaceChildren(el("section", "intro", prose(doc.info.description)));
  toc.replaceChildren();
  const byTag = new Map((doc.tags || []).map(tag => [tag.name, []]));
  for (const [path, pathItem] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      if (!pathItem[method]) continue;
      const tag = (pathItem[method].tags || ["other"])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operationView(doc, path, pathItem, method, pathItem[method]));
    }
  }
  const tagInfo = new Map((doc.tags || []).map(tag => [tag.name, tag]));
  for (const [tag, operations] of byTag) {
    if (!operations.length) continue;
    const section = el("section", "tag", el("h2", null, tag));
    if (tagInfo.get(tag) && tagInfo.get(tag).description) section.append(prose(tagInfo.get(tag).description));
    toc.append(el("h3", null, tag));
    for (const operation of operations) {
      section.append(operation);
      const link = el("a", null, operation.querySelector(".method").textContent.toUpperCase() + " "
        + operation.querySelector(".path").textContent);
      link.href = "#" + operation.id;
      link.dataset.target = operation.id;
      toc.append(link);
    }
    content.append(section);
  }
  openFromHash();
}

function openFromHash() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") {
    target.open = true;
    target.scrollIntoView();
  }
}

function filter(query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  for (const operation of document.querySelectorAll(".operation")) {
    const shown = words.every(word => operation.dataset.search.includes(word));
    operation.classList.toggle("hidden", !shown);
    const link = document.querySelector('nav a[data-target="' + operation.id + '"]');
    if (link) link.classList.toggle("hidden", !shown);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("filter").addEventListener("input", event => filter(event.target.value));
  window.addEventListener("hashchange", openFromHash);
  fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then(response => {
      if (!response.ok) throw new Error("GET /openapi.json answered " + response.status);
      return response.json();
    })
    .then(render)
    .catch(error => {
      const status = document.getElementById("status");
      status.className = "error";
      status.textContent = "Cannot show the API document: " + error.message;
    });
});
