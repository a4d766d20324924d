"use strict";

/*
 * The task list's view as data: its filters, page size and cursor, read from and written to the
 * page's address (so a filtered list, or one page of it, can be bookmarked and shared), the API
 * request for it, and the trail of cursors that gives a "previous page" to an API whose cursors
 * only go forward. Pure functions, so Node can test them.
 */
const TaskerTaskQuery = (() => {
  /** The filters of GET /v1/tasks, in the order the address shows them. */
  const FILTERS = ["state", "namespace", "name", "q", "initiator", "correlation_id", "created_from", "created_to"];
  /** Filters that are instants: the form shows them in local time, the address and the API in UTC. */
  const INSTANTS = new Set(["created_from", "created_to"]);
  const DEFAULT_LIMIT = 50;
  const MAX_LIMIT = 500;

  /** The view an address's query asks for: {filters, limit, cursor}. An empty value is no filter. */
  function fromSearch(search) {
    const params = new URLSearchParams(search);
    const filters = {};
    for (const name of FILTERS) {
      const value = (params.get(name) || "").trim();
      if (value) filters[name] = value;
    }
    const limit = Number(params.get("limit"));
    return {
      filters,
      limit: Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT ? limit : DEFAULT_LIMIT,
      cursor: params.get("cursor") || null,
    };
  }

  /** The first page of what a filter form asks for: `entries` are its [name, value] pairs. */
  function fromForm(entries, limit = DEFAULT_LIMIT) {
    const filters = {};
    for (const [name, raw] of entries) {
      const value = String(raw).trim();
      if (!FILTERS.includes(name) || !value) continue;
      // A value the browser cannot read as a time goes to the API as typed, which says what is wrong.
      filters[name] = INSTANTS.has(name) ? instant(value) || value : value;
    }
    return { filters, limit, cursor: null };
  }

  function params(view, withDefaultLimit) {
    const query = new URLSearchParams();
    for (const name of FILTERS) {
      if (view.filters[name]) query.set(name, view.filters[name]);
    }
    if (withDefaultLimit || view.limit !== DEFAULT_LIMIT) query.set("limit", view.limit);
    if (view.cursor) query.set("cursor", view.cursor);
    return query.toString();
  }

  /** The page's address query for a view: "" for the first page of all tasks. */
  function toSearch(view) {
    const query = params(view, false);
    return query ? `?${query}` : "";
  }

  /** The API request for a view. */
  function apiPath(view) {
    return `/v1/tasks?${params(view, true)}`;
  }

  function isFiltered(view) {
    return Object.keys(view.filters).length > 0;
  }

  /*
   * Paging. `trail` holds the cursor of every page before this one, oldest first (null for the
   * first page), so the previous page is the trail's last. A page reached through a shared
   * address comes without a trail: its previous page is the first.
   */

  /** The page after `view`, which the API's `next_cursor` starts. */
  function nextPage(view, trail, nextCursor) {
    return { view: { ...view, cursor: nextCursor }, trail: [...trail, view.cursor] };
  }

  function previousPage(view, trail) {
    if (trail.length === 0) return { view: { ...view, cursor: null }, trail: [] };
    return { view: { ...view, cursor: trail[trail.length - 1] }, trail: trail.slice(0, -1) };
  }

  /** The page's number counted from the first, or null when it was reached without a trail. */
  function pageNumber(view, trail) {
    if (!view.cursor) return 1;
    return trail.length > 0 && trail[0] === null ? trail.length + 1 : null;
  }

  const pad = (number) => String(number).padStart(2, "0");

  /** An instant as a datetime-local field shows it, in the browser's time zone; "" for none. */
  function localInput(iso) {
    const t = new Date(iso || "");
    if (Number.isNaN(t.getTime())) return "";
    return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T`
      + `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  }

  /** A datetime-local field's value (local time) as the instant the API takes; null for none. */
  function instant(local) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(local || "")) return null;
    // A date and time without a zone is local time to Date.
    const t = new Date(local);
    return Number.isNaN(t.getTime()) ? null : t.toISOString();
  }

  return {
    FILTERS, INSTANTS, DEFAULT_LIMIT, fromSearch, fromForm, toSearch, apiPath, isFiltered, nextPage, previousPage,
    pageNumber, localInput, instant,
  };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerTaskQuery;
}
