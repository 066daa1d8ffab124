/* The prerequisite chain to a goal, drawn as an SVG graph from GET /v1/courses/{id}: one column
 * per prerequisite depth, with the same chain in words for screen readers.
 */
import { api } from "./api.js";
import { $, clear, el, scrollBox } from "./dom.js";
import { goalTitle, rowTitles, state } from "./state.js";

export function renderChainCourses() {
  const goal = $("chain-goal").value;
  const p = state.plan;
  const options = [];
  const seen = new Set();
  if (p) {
    for (const c of p.courses) {
      if (seen.has(c.course)) continue;
      if (goal && !c.serves.some((s) => s.goal === goal)) continue;
      seen.add(c.course);
      options.push(el("option", { value: c.course }, `${c.course} ${c.title} (planned)`));
    }
  }
  const g = state.audit && state.audit.goals.find((x) => x.goal === goal);
  if (g) {
    const walk = (r) => {
      if (r.status !== "met") for (const id of r.candidates.slice(0, 3)) {
        if (!seen.has(id)) { seen.add(id); options.push(el("option", { value: id }, `${id} (could meet a gap)`)); }
      }
      r.children.forEach(walk);
    };
    g.requirements.forEach(walk);
  }
  const sel = $("chain-course");
  const keep = sel.value;
  clear(sel, el("option", { value: "" }, "All planned courses for this goal"), options);
  if (keep && seen.has(keep)) sel.value = keep;
  drawChain();
}

export async function courseInfo(id, catalog) {
  const key = `${catalog}/${id}`;
  if (!state.courseCache[key]) {
    state.courseCache[key] = api("GET", `/v1/courses/${encodeURIComponent(id)}?catalog=${encodeURIComponent(catalog)}`)
      .catch(() => null);
  }
  return state.courseCache[key];
}

export function directPrereqs(rule, anyGroup) {
  if (!rule) return [];
  if (rule.course) return [{ id: rule.course, any: anyGroup }];
  if (rule.all) return rule.all.flatMap((r) => directPrereqs(r, anyGroup));
  if (rule.any) return rule.any.flatMap((r) => directPrereqs(r, true));
  return [];
}

let chainSeq = 0;

export async function drawChain() {
  const out = $("chain-out");
  const p = state.plan;
  const a = state.audit;
  if (!p || !a) { clear(out); return; }
  const seq = ++chainSeq;
  const goal = $("chain-goal").value;
  const chosen = $("chain-course").value;
  const targets = chosen ? [chosen]
    : [...new Set(p.courses.filter((c) => !goal || c.serves.some((s) => s.goal === goal)).map((c) => c.course))];
  if (!targets.length) {
    clear(out, el("p", { class: "empty" }, "No courses are planned for this goal: nothing to chain."));
    return;
  }
  const catalog = a.catalog;
  const nodes = new Map();
  const edges = [];
  const queue = targets.slice(0, 12);
  while (queue.length && nodes.size < 40) {
    const id = queue.shift();
    if (nodes.has(id)) continue;
    const info = await courseInfo(id, catalog);
    if (seq !== chainSeq) return;
    nodes.set(id, { id, title: info ? info.course.title : id });
    for (const pre of directPrereqs(info && info.prerequisite_rule, false)) {
      edges.push({ from: pre.id, to: id, any: pre.any });
      if (!nodes.has(pre.id)) queue.push(pre.id);
    }
  }
  for (const e of edges) if (!nodes.has(e.from)) nodes.set(e.from, { id: e.from, title: e.from });
  // Layer: a course sits one column right of its deepest prerequisite.
  const depth = {};
  const d = (id, guard) => {
    if (depth[id] !== undefined) return depth[id];
    if (guard > 50) return 0;
    const ins = edges.filter((e) => e.to === id);
    depth[id] = ins.length ? 1 + Math.max(...ins.map((e) => d(e.from, guard + 1))) : 0;
    return depth[id];
  };
  for (const id of nodes.keys()) d(id, 0);
  const status = {};
  const rows = rowTitles();
  for (const r of Object.values(rows)) {
    const s = r.use === "failed" ? "failed" : r.status === "completed" ? "done" : "now";
    if (status[r.course] !== "done") status[r.course] = s;
  }
  for (const c of p.courses) if (!status[c.course]) status[c.course] = "plan";
  const cols = {};
  for (const id of nodes.keys()) (cols[depth[id]] = cols[depth[id]] || []).push(id);
  const W = 150, H = 44, GX = 60, GY = 14;
  const ncol = Object.keys(cols).length;
  const nrow = Math.max(...Object.values(cols).map((c) => c.length));
  const width = ncol * W + (ncol - 1) * GX + 20;
  const height = nrow * H + (nrow - 1) * GY + 20;
  const pos = {};
  // Order each column by the mean row of its prerequisites (fewer crossing lines), then by id.
  const rowOf = {};
  for (const c of Object.keys(cols).map(Number).sort((x, y) => x - y)) {
    const key = (id) => {
      const ins = edges.filter((e) => e.to === id && rowOf[e.from] !== undefined).map((e) => rowOf[e.from]);
      return ins.length ? ins.reduce((x, y) => x + y, 0) / ins.length : Infinity;
    };
    cols[c].sort((x, y) => (key(x) - key(y)) || (x < y ? -1 : 1));
    cols[c].forEach((id, i) => {
      rowOf[id] = i;
      pos[id] = { x: 10 + c * (W + GX), y: 10 + i * (H + GY) };
    });
  }
  const NS = "http://www.w3.org/2000/svg";
  const svgEl = (tag, attrs, text) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const label = `Prerequisite chain for ${goal ? goalTitle(goal) : "the plan"}: ` +
    edges.map((e) => `${e.from} before ${e.to}${e.any ? " (one of several options)" : ""}`).join("; ");
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-labelledby": "chain-title", class: "chain", id: "chain-svg" });
  svg.append(svgEl("title", { id: "chain-title" }, label || "No prerequisites"));
  const defs = svgEl("defs", {});
  const marker = svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
    markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
  marker.append(svgEl("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }));
  defs.append(marker);
  svg.append(defs);
  for (const e of edges) {
    const a1 = pos[e.from], b1 = pos[e.to];
    if (!a1 || !b1) continue;
    const x1 = a1.x + W, y1 = a1.y + H / 2, x2 = b1.x, y2 = b1.y + H / 2;
    const mx = (x1 + x2) / 2;
    svg.append(svgEl("path", { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`,
      class: e.any ? "edge any" : "edge", "marker-end": "url(#arrow)", "data-from": e.from, "data-to": e.to }));
  }
  for (const [id, n] of nodes) {
    const { x, y } = pos[id];
    const g = svgEl("g", { class: `node ${status[id] || "todo"}`, "data-course": id });
    g.append(svgEl("rect", { x, y, width: W, height: H, rx: 6 }));
    g.append(svgEl("text", { x: x + 8, y: y + 18, class: "nid" }, id));
    const t = n.title.length > 22 ? n.title.slice(0, 21) + "…" : n.title;
    g.append(svgEl("text", { x: x + 8, y: y + 35, class: "ntitle" }, t));
    svg.append(g);
  }
  const words = { done: "completed", now: "in progress", plan: "planned", failed: "no credit yet", todo: "not taken" };
  const text = el("ul", { class: "chain-text", "aria-label": "Prerequisites in words" },
    [...nodes.values()].map((n) => {
      const ins = edges.filter((e) => e.to === n.id);
      return el("li", {}, el("strong", {}, n.id), ` ${n.title} (${words[status[n.id] || "todo"]})`,
        ins.length ? `: needs ${ins.map((e) => e.from).join(ins.some((e) => e.any) ? " or " : " and ")}` : ": no prerequisite");
    }));
  const legend = el("ul", { class: "legend", "aria-label": "Chain legend" },
    el("li", { class: "cc done" }, "completed"), el("li", { class: "cc now" }, "in progress"),
    el("li", { class: "cc plan" }, "planned"), el("li", { class: "cc todo" }, "not taken"),
    el("li", { class: "cc any" }, "dashed: one of several options"));
  clear(out, scrollBox("Prerequisite chain picture", svg), legend,
    el("details", { class: "parts" }, el("summary", {}, "The chain in words"), text));
}
