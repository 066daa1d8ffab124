/* The family summary in plain language (printed through print.css) and the scenario file export.
 */
import { $, FAMILY_STATUS, clear, el, num, plural, setStatus, showError } from "./dom.js";
import { planConstraints } from "./plan.js";
import { describeChange, scenarioPayload } from "./scenarios.js";
import { countStatuses, goalTitle, state } from "./state.js";

/* A what-if in plain words for the family: what happens to each goal and to the plan. */
export function familyWhatIf(s, base) {
  const bits = [];
  for (const g of s.goals) {
    const name = goalTitle(g.goal);
    if (!g.before) bits.push(`${name} would become a goal (${FAMILY_STATUS[g.after]})`);
    else if (!g.after) bits.push(`${name} would no longer be a goal`);
    else if (g.before !== g.after) bits.push(`${name} would go from ${FAMILY_STATUS[g.before]} to ${FAMILY_STATUS[g.after]}`);
  }
  if (!bits.length) bits.push("every goal would stay where it is");
  const p = s.plan;
  const b = base.plan;
  let plan;
  if (p.status !== "optimal" && p.status !== "feasible") plan = `no plan would fit: ${p.message}`;
  else if (p.added_credits === b.added_credits && p.terms_to_graduation === b.terms_to_graduation)
    plan = `the plan would still need ${plural(p.added_credits, "more credit")}`;
  else plan = `the plan would need ${plural(p.added_credits, "more credit")} (instead of ${num(b.added_credits)})` +
    ` and finish in ${p.completes || "—"}`;
  return `${bits.join("; ")}; ${plan}.`;
}

export function renderSummaryIfShown() {
  if (!$("panel-summary").hidden) renderSummary();
}

export const STATE_NAMES = { TX: "Texas", CA: "California", WA: "Washington", NY: "New York", FL: "Florida" };

export function renderSummary() {
  const out = $("summary-out");
  const a = state.audit;
  const p = state.plan;
  const s = state.student;
  if (!a || !s) { clear(out, el("p", { class: "empty" }, "Load a student to see the summary.")); return; }
  const today = new Date().toISOString().slice(0, 10);
  const parts = [el("h3", {}, `Where things stand for student ${s.id}`),
    el("p", {}, `Grade ${s.grade_level}, ${STATE_NAMES[s.jurisdiction] || s.jurisdiction}, class of ${s.cohort}. ` +
      `Prepared ${today}. This summary was worked out from the courses on record and the published rules; ` +
      `please check it with your counselor.`)];
  for (const g of a.goals) {
    const c = countStatuses(g.requirements);
    const needs = g.requirements.filter((r) => r.status !== "met");
    parts.push(el("section", { class: "fam-goal" },
      el("h4", {}, `${g.title}: ${FAMILY_STATUS[g.status]}`),
      el("p", {}, `${c.met} of ${g.requirements.length} parts are done` +
        (c.in_progress ? `, ${c.in_progress} will be done when this year's courses are passed` : "") +
        (c.unmet ? `, and ${c.unmet} still need more courses.` : ".") +
        (g.credits ? ` Credits: ${num(g.credits.earned)} earned of the ${num(g.credits.needed)} needed` +
          (g.credits.in_progress + g.credits.planned ? `, with ${num(g.credits.in_progress + g.credits.planned)} more under way.` : ".") : "")),
      needs.length ? el("ul", {}, needs.map((r) => el("li", {},
        el("strong", {}, `${r.title}: `), r.status === "in_progress" ? "under way. " : "still needed. ", r.reason))) : null,
      (g.alerts || []).length ? el("ul", { class: "fam-alerts" }, g.alerts.map((al) => el("li", {}, `Please note: ${al.message}`))) : null));
  }
  if (p) {
    parts.push(el("h4", {}, "The suggested plan"));
    parts.push(el("p", {}, p.status === "optimal" || p.status === "feasible"
      ? `${p.message} That is ${plural(p.added_courses, "course")} and ${plural(p.added_credits, "credit")} from now on.`
      : p.message));
    if (p.terms.length) {
      parts.push(el("ul", {}, p.terms.filter((t) => t.planned.length).map((t) => el("li", {},
        el("strong", {}, `Grade ${t.grade_level}, ${t.term}: `),
        t.planned.map((id) => { const c = p.courses.find((x) => x.course === id); return c ? c.title : id; }).join(", ")))));
    }
  }
  const cmp = state.compare;
  if (cmp && cmp.scenarios.length) {
    parts.push(el("h4", {}, "What we tried"));
    parts.push(el("ul", { id: "family-whatifs" }, cmp.scenarios.map((sc) => el("li", { dataset: { scenario: sc.name } },
      el("strong", {}, `${sc.name} `), describeScenario(state.scenarios.find((x) => x.name === sc.name)),
      " If so, ", familyWhatIf(sc, cmp.base)))));
  }
  parts.push(el("p", { class: "small" }, "Made with GradPath. Nothing about this student was stored on the server."));
  clear(out, parts);
}

export function describeScenario(sc) {
  if (!sc) return "";
  const bits = [];
  for (const kind of ["drop", "regrade", "add"]) for (const c of sc[kind]) bits.push(describeChange(kind, c));
  if (sc.goals) bits.push(`goals: ${sc.goals.map(goalTitle).join(", ")}`);
  if (sc.jurisdiction) bits.push(`moving to ${STATE_NAMES[sc.jurisdiction] || sc.jurisdiction}`);
  if (sc.catalog_year) bits.push(`catalog year ${sc.catalog_year}`);
  return bits.length ? `(${bits.join("; ")}).` : "(no changes).";
}

export function exportScenario() {
  if (!state.student) { showError({ title: "Nothing to export", detail: "Load a student first." }); return; }
  const data = { format: "gradpath-workbench", version: 1, student: state.student, goals: state.goals,
    constraints: planConstraints(), scenarios: state.scenarios.map(scenarioPayload) };
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: `gradpath-${state.student.id}-scenarios.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  setStatus("Scenario file downloaded.");
}
