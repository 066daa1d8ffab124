/* The plan view: the term-by-term grid (grades 9-12 by semester) of completed, in-progress and
 * planned courses, and the plan's figures.
 */
import { api } from "./api.js";
import { renderChainCourses } from "./chain.js";
import { $, clear, el, num, scrollBox, showError } from "./dom.js";
import { request, rowTitles, state } from "./state.js";
import { renderSummaryIfShown } from "./summary.js";

const TERMS = ["fall", "spring", "summer"];

export function planConstraints() {
  const c = { allow_summer: $("plan-summer").checked };
  const max = $("plan-max").value;
  if (max) c.max_courses_per_term = Number(max);
  return c;
}

export async function runPlan() {
  const seq = ++state.seq.plan;
  clear($("plan-out"), el("p", { class: "empty" }, "Planning…"));
  try {
    const result = await api("POST", "/v1/plan", request({ constraints: planConstraints() }));
    if (seq !== state.seq.plan) return;
    state.plan = result;
    renderPlan();
    renderChainCourses();
    renderSummaryIfShown();
  } catch (e) {
    if (seq === state.seq.plan) {
      clear($("plan-out"), el("p", { class: "empty" }, "No plan."));
      showError(e);
    }
  }
}

export function cellKey(grade, term) {
  return `${grade}-${term}`;
}

export function renderPlan() {
  const p = state.plan;
  const s = state.student;
  if (!p || !s) return;
  const cells = {};
  const put = (grade, term, chip) => {
    const terms = term === "year" ? ["fall", "spring"] : [term];
    for (const t of terms) (cells[cellKey(grade, t)] = cells[cellKey(grade, t)] || []).push(chip(t));
  };
  const rowsInfo = rowTitles();
  s.transcript.forEach((r, i) => {
    const info = rowsInfo[i];
    const status = info ? info.status : r.status || (r.grade !== undefined ? "completed" : "in_progress");
    const failed = info && info.use === "failed";
    const cls = failed ? "failed" : status === "completed" ? "done" : status === "in_progress" ? "now" : "sched";
    const label = failed ? "no credit" : status === "completed" ? "completed" : status === "in_progress" ? "in progress" : "scheduled";
    put(r.grade_level, r.term || "year", () => el("li", { class: `cc ${cls}`, title: info ? info.title : "" },
      el("span", { class: "cid" }, r.course || r.sced || "?"),
      el("span", { class: "sr" }, ` (${label}${info ? ", " + info.title : ""})`)));
  });
  for (const t of p.terms) {
    for (const id of t.planned) {
      const c = p.courses.find((x) => x.course === id && x.grade_level === t.grade_level &&
        (x.term === t.term || x.term === "year"));
      const chip = el("li", { class: "cc plan", title: c ? `${c.title}: ${c.reason}` : id },
        el("span", { class: "cid" }, id), el("span", { class: "sr" }, ` (planned${c ? ", " + c.title : ""})`));
      (cells[cellKey(t.grade_level, t.term)] = cells[cellKey(t.grade_level, t.term)] || []).push(chip);
    }
  }
  const summer = Object.keys(cells).some((k) => k.endsWith("summer"));
  const cols = summer ? TERMS : TERMS.slice(0, 2);
  const grades = [9, 10, 11, 12];
  const table = el("table", { class: "grid", id: "plan-grid" },
    el("caption", {}, "Courses by grade and semester: completed, in progress and planned. Year-long courses appear in both semesters."),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Grade"),
      cols.map((t) => el("th", { scope: "col" }, t[0].toUpperCase() + t.slice(1))))),
    el("tbody", {}, grades.map((g) => el("tr", {},
      el("th", { scope: "row" }, `Grade ${g}`),
      cols.map((t) => el("td", { dataset: { cell: cellKey(g, t) } },
        el("ul", { class: "cell" }, cells[cellKey(g, t)] || [])))))));
  const legend = el("ul", { class: "legend", "aria-label": "Legend" },
    el("li", { class: "cc done" }, "completed"), el("li", { class: "cc now" }, "in progress"),
    el("li", { class: "cc plan" }, "planned"), el("li", { class: "cc failed" }, "no credit"));
  const stats = el("dl", { class: "stats", id: "plan-stats" },
    el("dt", {}, "Plan"), el("dd", { dataset: { k: "status" } }, p.status),
    el("dt", {}, "Credits added"), el("dd", { dataset: { k: "added_credits" } }, num(p.added_credits)),
    el("dt", {}, "Courses added"), el("dd", { dataset: { k: "added_courses" } }, num(p.added_courses)),
    el("dt", {}, "Finishes"), el("dd", { dataset: { k: "completes" } }, p.completes || "—"),
    el("dt", {}, "Terms to go"), el("dd", { dataset: { k: "terms_to_graduation" } }, num(p.terms_to_graduation)));
  const conflicts = p.conflicts.length
    ? el("div", { class: "alerts" }, el("h3", {}, "Why no plan fits"),
      el("ul", {}, p.conflicts.map((c) => el("li", { class: "alert sev-critical" }, c.text))))
    : null;
  const milestones = p.milestones.length
    ? el("div", {}, el("h3", {}, "Also needed (not courses)"),
      el("ul", {}, p.milestones.map((m) => el("li", {}, m.text))))
    : null;
  const list = p.courses.length
    ? el("details", { class: "parts" }, el("summary", {}, "Why each planned course"),
      el("ul", { class: "why" }, p.courses.map((c) => el("li", {},
        el("strong", {}, `${c.course} ${c.title}`), ` (grade ${c.grade_level} ${c.term}): ${c.reason}`,
        c.alternatives ? el("span", { class: "alt" }, ` ${c.alternatives.text}`) : null))))
    : null;
  clear($("plan-out"), el("p", { class: "plan-msg" }, p.message), stats,
    scrollBox("Plan grid", table), legend, conflicts, milestones, list);
}
