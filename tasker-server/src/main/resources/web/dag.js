"use strict";

/*
 * Lays out steps (a task's or a template's) as a DAG drawn left to right, from nothing but each
 * step's name and depends_on. The layout is pure functions without the DOM, so Node can test it;
 * draw() turns it into SVG on a page.
 *
 * The classic layered layout, kept small:
 *  1. Layers: a step sits one column right of its deepest dependency (the longest path from a
 *     root), so every arrow points right.
 *  2. An arrow that skips columns gets an invisible waypoint in each column it crosses, so it is
 *     routed between boxes rather than through them.
 *  3. Order within a column: the steps' template order, then a few sweeps that move each node
 *     toward the average row of its neighbours in the previous column (the barycenter heuristic),
 *     which removes most crossings of the small graphs templates have.
 *  4. Coordinates: columns side by side, each centred vertically; a waypoint takes less height
 *     than a box.
 */
const TaskerDag = (() => {
  const BOX = { width: 210, height: 58 };
  /** The height of each line of detail a box has beyond the first (a batch's counts). */
  const LINE = 18;
  const WAYPOINT_HEIGHT = 10;
  const GAP = { x: 56, y: 22 };
  const MARGIN = 16;
  const SWEEPS = 4;
  /** How many characters of a step name fit in a box; the full name is in its tooltip and label. */
  const NAME_FITS = 24;
  /** A count after a name (" \u00d7 10,000") is mostly narrow characters: it takes this many fewer. */
  const SUFFIX_NARROWER = 3;

  /** Column of each step name: 0 for a root, else one more than its deepest dependency. */
  function columns(steps) {
    const byName = new Map(steps.map((step) => [step.name, step]));
    const column = new Map();
    const visiting = new Set();
    const depth = (name) => {
      if (column.has(name)) return column.get(name);
      // A valid template has no cycle; if one ever arrives, draw it rather than recurse forever.
      if (visiting.has(name)) return 0;
      visiting.add(name);
      const dependencies = dependenciesOf(byName.get(name), byName);
      const d = dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map(depth));
      visiting.delete(name);
      column.set(name, d);
      return d;
    };
    steps.forEach((step) => depth(step.name));
    return column;
  }

  /**
   * What the drawing depends on: the steps and what each waits for. It changes when a decision
   * creates steps, and then the graph is drawn again; a change of state only restyles it.
   */
  function shape(steps) {
    return JSON.stringify(steps.map((step) => [step.name, step.label || null, step.depends_on || []]));
  }

  /** The dependencies of a step that are steps of this task (others cannot be drawn). */
  function dependenciesOf(step, byName) {
    return (step.depends_on || []).filter((name) => byName.has(name) && name !== step.name);
  }

  /**
   * The drawing of `steps`: the size of the picture, a box per step ({name, label, lines, x, y,
   * width, height}) and an arrow per dependency ({from, to, path}, path being SVG path data). A
   * step may carry a `label` to show instead of its name and a number of detail `lines` (one
   * unless it says), which make its box taller.
   */
  function layout(steps) {
    const byName = new Map(steps.map((step) => [step.name, step]));
    const columnOf = columns(steps);
    const nodes = [];
    const grid = [];
    const addNode = (node) => {
      node.id = nodes.length;
      node.up = [];
      node.down = [];
      nodes.push(node);
      (grid[node.column] ||= []).push(node);
      return node;
    };
    const stepNodes = new Map(steps.map((step) => [step.name,
      addNode({ name: step.name, column: columnOf.get(step.name), height: heightOf(step) })]));
    const link = (from, to) => {
      from.down.push(to);
      to.up.push(from);
    };

    const edges = [];
    for (const step of steps) {
      const target = stepNodes.get(step.name);
      for (const dependency of dependenciesOf(step, byName)) {
        const source = stepNodes.get(dependency);
        const chain = [source];
        for (let column = source.column + 1; column < target.column; column++) {
          chain.push(addNode({ name: null, column, height: WAYPOINT_HEIGHT }));
        }
        chain.push(target);
        for (let i = 1; i < chain.length; i++) link(chain[i - 1], chain[i]);
        edges.push({ from: dependency, to: step.name, chain });
      }
    }
    for (let c = 0; c < grid.length; c++) grid[c] ||= [];

    orderColumns(grid);
    const size = place(grid);
    return {
      width: size.width,
      height: size.height,
      boxes: steps.map((step) => {
        const node = stepNodes.get(step.name);
        return {
          name: step.name, label: step.label || step.name, suffix: step.suffix || null, lines: linesOf(step),
          x: node.x, y: node.y,
          width: BOX.width, height: node.height,
        };
      }),
      edges: edges.map((edge) => ({ from: edge.from, to: edge.to, path: path(edge.chain) })),
    };
  }

  /**
   * The text on a box's first line: its label cut to fit, except that a label the step gave as
   * name and `suffix` (a batch's " \u00d7 10,000") keeps the suffix and cuts the name.
   */
  function nameText(step) {
    const { shorten } = TaskerUi;
    if (!step.suffix) return shorten(step.label || step.name, NAME_FITS);
    return shorten(step.name, Math.max(8, NAME_FITS + SUFFIX_NARROWER - step.suffix.length)) + step.suffix;
  }

  function linesOf(step) {
    return Math.max(1, step.lines || 1);
  }

  function heightOf(step) {
    return BOX.height + LINE * (linesOf(step) - 1);
  }

  function orderColumns(grid) {
    const rank = (column) => column.forEach((node, row) => { node.row = row; });
    grid.forEach(rank);
    const average = (neighbours, fallback) => neighbours.length === 0 ? fallback
      : neighbours.reduce((sum, n) => sum + n.row, 0) / neighbours.length;
    const sortBy = (column, key) => {
      const keyed = column.map((node) => ({ node, key: key(node) }));
      // Array.prototype.sort is stable, so ties keep the template order.
      keyed.sort((a, b) => a.key - b.key);
      column.splice(0, column.length, ...keyed.map((k) => k.node));
      rank(column);
    };
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      for (let c = 1; c < grid.length; c++) sortBy(grid[c], (node) => average(node.up, node.row));
      for (let c = grid.length - 2; c >= 0; c--) sortBy(grid[c], (node) => average(node.down, node.row));
    }
  }

  /** Sets x and y of every node; returns the picture's size. */
  function place(grid) {
    const columnHeight = (column) => column.reduce((sum, node) => sum + node.height, 0)
      + GAP.y * Math.max(0, column.length - 1);
    const tallest = Math.max(BOX.height, ...grid.map(columnHeight));
    grid.forEach((column, c) => {
      let y = MARGIN + (tallest - columnHeight(column)) / 2;
      for (const node of column) {
        node.x = MARGIN + c * (BOX.width + GAP.x);
        node.y = y;
        y += node.height + GAP.y;
      }
    });
    return {
      width: 2 * MARGIN + grid.length * BOX.width + Math.max(0, grid.length - 1) * GAP.x,
      height: 2 * MARGIN + tallest,
    };
  }

  /**
   * From the right edge of the first box to the left edge of the last, through each waypoint:
   * a smooth curve between columns, straight across the columns it passes.
   */
  function path(chain) {
    const middle = (node) => node.y + node.height / 2;
    const first = chain[0];
    let d = `M ${first.x + BOX.width} ${middle(first)}`;
    for (let i = 1; i < chain.length; i++) {
      const from = chain[i - 1];
      const to = chain[i];
      const x0 = from.x + BOX.width;
      const y0 = middle(from);
      const x1 = to.x;
      const y1 = middle(to);
      const bend = (x1 - x0) / 2;
      d += ` C ${x0 + bend} ${y0}, ${x1 - bend} ${y1}, ${x1} ${y1}`;
      if (i < chain.length - 1) d += ` L ${x1 + BOX.width} ${y1}`;
    }
    return d;
  }

  /**
   * The plan as SVG: a box per step with its name and two lines of detail (left and right), which
   * the page fills in and may change later without drawing again, so keyboard focus survives.
   * With `onSelect` a box is a button (a click, Enter or Space calls `onSelect(name)`), without it
   * a picture. Answers {root, boxes, edges}: boxes by name ({group, tooltip, left, right, lines}, lines
   * being every line's {left, right}, the first one's left and right again), edges as {from, line}.
   */
  function draw(plan, labelledBy, onSelect) {
    const { svg } = TaskerUi;
    const marker = (id, done) => svg("marker", {
      id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse",
    }, svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: done ? "arrow done" : "arrow" }));
    const root = svg("svg", {
      width: plan.width, height: plan.height, viewBox: `0 0 ${plan.width} ${plan.height}`,
      role: "group", "aria-labelledby": labelledBy,
    }, svg("defs", {}, marker("arrow", false), marker("arrow-done", true)));
    const edges = plan.edges.map((edge) => {
      const line = svg("path", { d: edge.path, class: "edge", "marker-end": "url(#arrow)" });
      root.append(line);
      return { from: edge.from, line };
    });
    const boxes = new Map();
    for (const box of plan.boxes) {
      const tooltip = svg("title", {}, box.label);
      const lines = Array.from({ length: box.lines }, (_, i) => ({
        left: svg("text", { class: "detail", x: box.x + 10, y: box.y + 43 + i * LINE }),
        right: svg("text", { class: "detail", x: box.x + box.width - 10, y: box.y + 43 + i * LINE, "text-anchor": "end" }),
      }));
      const group = svg("g", { class: "step", tabindex: 0, role: "button", "data-step": box.name, "aria-label": box.label },
        tooltip,
        svg("rect", { x: box.x, y: box.y, width: box.width, height: box.height, rx: 8 }),
        svg("text", { class: "name", x: box.x + 10, y: box.y + 22 }, nameText(box)),
        lines.flatMap((line) => [line.left, line.right]));
      if (onSelect) {
        group.addEventListener("click", () => onSelect(box.name));
        group.addEventListener("keydown", (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            onSelect(box.name);
          }
        });
      } else {
        group.removeAttribute("tabindex");
        group.setAttribute("role", "img");
      }
      root.append(group);
      boxes.set(box.name, { group, tooltip, left: lines[0].left, right: lines[0].right, lines });
    }
    return { root, boxes, edges };
  }

  return { layout, columns, draw, shape, nameText, BOX };
})();

if (typeof module === "object" && module.exports) {
  module.exports = TaskerDag;
}
