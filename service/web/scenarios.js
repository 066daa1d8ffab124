/* What-if scenarios: the editors (drop, add, regrade, goals, state, catalog year) and the
 * side-by-side comparison from POST /v1/whatif, differences highlighted.
 */
import { api } from "./api.js";
import { $, STATUS_LABEL, badge, clear, el, num, plural, scrollBox, setStatus, showError } from "./dom.js";
import { planConstraints } from "./plan.js";
import { MAX_SCENARIOS, countStatuses, goalTitle, request, state } from "./state.js";
import { renderSummaryIfShown } from "./summary.js";

export async function ensureCatalogCourses() {
  const s = state.student;
  if (!s) return;
  const year = s.catalog_year || (s.cohort ? s.cohort - 4 : 2025);
  const key = `${s.jurisdiction}/${year}`;
  if (state.catalogCourses[key]) return;
  try {
    const items = [];
    for (let offset = 0; offset < 2000; offset += 200) {
      const page = await api("GET", `/v1/catalogs/${s.jurisdiction}/${year}/courses?limit=200&offset=${offset}`);
      items.push(...page.items);
      if (items.length >= page.total) break;
    }
    state.catalogCourses[key] = items;
    renderScenarioEditors();
  } catch (e) {
    state.catalogCourses[key] = [];
  }
}

export function catalogCourses() {
  const s = state.student;
  if (!s) return [];
  const year = s.catalog_year || (s.cohort ? s.cohort - 4 : 2025);
  return state.catalogCourses[`${s.jurisdiction}/${year}`] || [];
}

export function newScenario() {
  // The first free letter: names tell scenarios apart in the comparison and the summary.
  const taken = new Set(state.scenarios.map((sc) => sc.name));
  let n = 0;
  while (taken.has(`Scenario ${String.fromCharCode(65 + n)}`)) n += 1;
  return { name: `Scenario ${String.fromCharCode(65 + n)}`, drop: [], add: [], regrade: [], goals: null,
    jurisdiction: null, catalog_year: null };
}

export function rowLabel(r, i) {
  const status = r.status || (r.grade !== undefined ? "completed" : "in progress");
  return `${r.course || r.sced} · grade ${r.grade_level} ${r.term || "year"} · ${r.grade !== undefined ? "grade " + r.grade : status.replace("_", " ")}` +
    (i !== undefined ? ` [row ${i}]` : "");
}

// A row is named by its catalog id, or by its SCED code when it has none (a transfer row).
const rowName = (r) => (r.course ? { course: r.course } : { sced: r.sced });

export function describeChange(kind, c) {
  if (kind === "drop") return `Drop ${c.course || "SCED " + c.sced} (grade ${c.grade_level}${c.term ? " " + c.term : ""})`;
  if (kind === "regrade") return `Change ${c.course || "SCED " + c.sced} (grade ${c.grade_level}) to ${c.grade}`;
  return `Add ${c.course} in grade ${c.grade_level} ${c.term}${c.grade !== undefined ? ", grade " + c.grade : " (" + c.status.replace("_", " ") + ")"}`;
}

export function scenarioEditor(sc, idx) {
  const s = state.student;
  const pid = (x) => `sc${idx}-${x}`;
  const rowOptions = s.transcript.map((r, i) => el("option", { value: i }, rowLabel(r, i)));
  const changes = [];
  for (const kind of ["drop", "regrade", "add"]) {
    sc[kind].forEach((c, j) => changes.push(el("li", {}, describeChange(kind, c), " ",
      el("button", { type: "button", class: "link", "aria-label": `Remove change: ${describeChange(kind, c)}`,
        onclick: () => { sc[kind].splice(j, 1); renderScenarioEditors(); } }, "remove"))));
  }
  const goalsNow = sc.goals || state.goals;
  if (sc.goals) changes.push(el("li", {}, `Goals: ${sc.goals.map(goalTitle).join(", ") || "state diploma"}`));
  if (sc.jurisdiction) changes.push(el("li", {}, `Move to ${sc.jurisdiction}`));
  if (sc.catalog_year) changes.push(el("li", {}, `Catalog year ${sc.catalog_year}`));
  const years = [...new Set(state.jurisdictions.flatMap((j) => j.catalogs.map((c) => c.catalog_year)))].sort();
  const courseList = catalogCourses();
  const here = (g) => g.jurisdiction === (sc.jurisdiction || s.jurisdiction) || g.jurisdiction === "US";
  const open = state.goalsIndex.filter((g) => !goalsNow.includes(g.id) && here(g));
  const otherGoals = [...open.filter((g) => g.kind !== "career_pathway"), ...open.filter((g) => g.kind === "career_pathway")];
  return el("fieldset", { class: "scenario", dataset: { scenario: idx } },
    el("legend", {}, sc.name),
    el("div", { class: "field" }, el("label", { for: pid("name") }, "Scenario name"),
      el("input", { id: pid("name"), type: "text", value: sc.name, maxlength: 100,
        onchange: (e) => {
          const name = e.target.value.trim();
          if (state.scenarios.some((o) => o !== sc && o.name === name)) {
            showError({ title: "Scenario names must differ", detail: `Keeping "${sc.name}".` });
          } else if (name) sc.name = name;
          renderScenarioEditors();
        } })),
    el("div", { class: "change" },
      el("label", { for: pid("drop") }, "Drop a course"),
      el("div", { class: "row" }, el("select", { id: pid("drop") }, rowOptions.map((o) => o.cloneNode(true))),
        el("button", { type: "button", class: "secondary", onclick: () => {
          const r = s.transcript[Number($(pid("drop")).value)];
          sc.drop.push({ ...rowName(r), grade_level: r.grade_level, term: r.term || "year" });
          renderScenarioEditors();
        } }, "Drop"))),
    el("div", { class: "change" },
      el("label", { for: pid("regrade-row") }, "Change a grade"),
      el("div", { class: "row" }, el("select", { id: pid("regrade-row") }, rowOptions.map((o) => o.cloneNode(true))),
        el("label", { for: pid("regrade-grade"), class: "sr" }, "New grade"),
        el("input", { id: pid("regrade-grade"), type: "text", size: 4, placeholder: "B or 85" }),
        el("button", { type: "button", class: "secondary", onclick: () => {
          const r = s.transcript[Number($(pid("regrade-row")).value)];
          const raw = $(pid("regrade-grade")).value.trim();
          if (!raw) { showError({ title: "No grade", detail: "Type the new grade, e.g. B or 85." }); return; }
          const grade = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw.toUpperCase();
          sc.regrade.push({ ...rowName(r), grade_level: r.grade_level, term: r.term || "year", grade });
          renderScenarioEditors();
        } }, "Change"))),
    el("div", { class: "change" },
      el("label", { for: pid("add-course") }, "Add a course (catalog id)"),
      el("div", { class: "row wrap" },
        el("input", { id: pid("add-course"), type: "text", list: pid("courses"), size: 10, autocomplete: "off" }),
        el("datalist", { id: pid("courses") }, courseList.map((c) => el("option", { value: c.id }, `${c.title} (${num(c.credits)} cr)`))),
        el("label", { for: pid("add-grade"), class: "sr" }, "In grade"),
        el("select", { id: pid("add-grade") }, [9, 10, 11, 12].map((g) =>
          el("option", { value: g, selected: g === Math.min(12, (s.grade_level || 9)) }, `grade ${g}`))),
        el("label", { for: pid("add-term"), class: "sr" }, "Term"),
        el("select", { id: pid("add-term") }, ["year", "fall", "spring", "summer"].map((t) => el("option", { value: t }, t))),
        el("label", { for: pid("add-status"), class: "sr" }, "Status or grade"),
        el("select", { id: pid("add-status") },
          el("option", { value: "planned" }, "planned"), el("option", { value: "in_progress" }, "in progress"),
          ["A", "B", "C", "D", "F"].map((g) => el("option", { value: g }, `completed, ${g}`))),
        el("button", { type: "button", class: "secondary", onclick: () => {
          const id = $(pid("add-course")).value.trim().toUpperCase();
          if (!id) { showError({ title: "No course", detail: "Type a course id from the catalog." }); return; }
          const st = $(pid("add-status")).value;
          const row = { course: id, grade_level: Number($(pid("add-grade")).value), term: $(pid("add-term")).value };
          if (st === "planned" || st === "in_progress") row.status = st; else row.grade = st;
          sc.add.push(row);
          renderScenarioEditors();
        } }, "Add"))),
    el("div", { class: "change" },
      el("label", { for: pid("goal-add") }, "Add or remove a goal"),
      el("div", { class: "row wrap" },
        el("select", { id: pid("goal-add") }, otherGoals.map((g) => el("option", { value: g.id }, g.title))),
        el("button", { type: "button", class: "secondary", onclick: () => {
          sc.goals = [...goalsNow, $(pid("goal-add")).value];
          renderScenarioEditors();
        } }, "Add goal")),
      el("ul", { class: "chips small" }, goalsNow.map((g) => el("li", { class: "chip" }, goalTitle(g),
        el("button", { type: "button", class: "chip-x", "aria-label": `Remove goal ${goalTitle(g)} from ${sc.name}`,
          onclick: () => { sc.goals = goalsNow.filter((x) => x !== g); renderScenarioEditors(); } }, "×"))))),
    el("div", { class: "grid2" },
      el("div", { class: "field" }, el("label", { for: pid("jur") }, "Move to another state"),
        el("select", { id: pid("jur"), onchange: (e) => { moveScenario(sc, e.target.value || null); renderScenarioEditors(); } },
          el("option", { value: "" }, `Stay in ${s.jurisdiction}`),
          state.jurisdictions.filter((j) => j.jurisdiction !== s.jurisdiction).map((j) =>
            el("option", { value: j.jurisdiction, selected: sc.jurisdiction === j.jurisdiction }, j.jurisdiction)))),
      el("div", { class: "field" }, el("label", { for: pid("year") }, "Catalog year"),
        el("select", { id: pid("year"), onchange: (e) => { sc.catalog_year = e.target.value ? Number(e.target.value) : null; renderScenarioEditors(); } },
          el("option", { value: "" }, "As recorded"),
          years.map((y) => el("option", { value: y, selected: sc.catalog_year === y }, y))))),
    el("h4", {}, "Changes"),
    changes.length ? el("ul", { class: "changes" }, changes) : el("p", { class: "empty" }, "No changes yet."),
    el("button", { type: "button", class: "link", onclick: () => { state.scenarios.splice(idx, 1); renderScenarioEditors(); } },
      `Delete ${sc.name}`));
}

export function renderScenarioEditors() {
  const box = $("scenario-editors");
  if (!state.student) { clear(box, el("p", { class: "empty" }, "Load a student first.")); return; }
  if (!state.scenarios.length) state.scenarios.push(newScenario());
  clear(box, state.scenarios.map((sc, i) => scenarioEditor(sc, i)));
  $("scenario-add").disabled = state.scenarios.length >= MAX_SCENARIOS;
}

/* Moving to another state: its diploma replaces the goals written for the old state
 * (national goals such as NCAA stay); staying home again restores the student's goals. */
export function moveScenario(sc, to) {
  sc.jurisdiction = to;
  if (!to) { sc.goals = null; return; }
  const known = (id) => state.goalsIndex.find((g) => g.id === id);
  const keep = (sc.goals || state.goals).filter((id) => {
    const g = known(id);
    return !g || g.jurisdiction === "US" || g.jurisdiction === to;
  });
  const diploma = state.goalsIndex.filter((g) => g.kind === "graduation" && g.jurisdiction === to).map((g) => g.id);
  sc.goals = [...new Set([...diploma, ...keep])];
}

export function scenarioPayload(sc) {
  const out = { name: sc.name };
  if (sc.add.length) out.add = sc.add;
  if (sc.drop.length) out.drop = sc.drop;
  if (sc.regrade.length) out.regrade = sc.regrade;
  if (sc.goals) out.goals = sc.goals;
  if (sc.jurisdiction) out.jurisdiction = sc.jurisdiction;
  if (sc.catalog_year) out.catalog_year = sc.catalog_year;
  return out;
}

export async function runCompare() {
  if (!state.student) return;
  const seq = ++state.seq.compare;
  clear($("compare-out"), el("p", { class: "empty" }, "Comparing…"));
  setStatus("Comparing scenarios…");
  try {
    const result = await api("POST", "/v1/whatif", request({
      constraints: planConstraints(), scenarios: state.scenarios.map(scenarioPayload) }));
    if (seq !== state.seq.compare) return;
    state.compare = result;
    showError(null);
    renderCompare();
    renderSummaryIfShown();
    setStatus(`Comparison ready: ${plural(result.scenarios.length, "scenario")} beside the student as recorded.`);
  } catch (e) {
    if (seq === state.seq.compare) { clear($("compare-out")); showError(e); }
  }
}

export function scenarioFacts(s) {
  const facts = [];
  const goalIds = [];
  for (const g of s.audit.goals) if (!goalIds.includes(g.goal)) goalIds.push(g.goal);
  for (const g of s.audit.goals) {
    const c = countStatuses(g.requirements);
    facts.push([`goal:${g.goal}`, "Status", STATUS_LABEL[g.status], g.status, g.title]);
    facts.push([`met:${g.goal}`, "Requirements met", `${c.met} of ${g.requirements.length}`, null, g.title]);
    if (g.credits) facts.push([`cr:${g.goal}`, "Credits earned", `${num(g.credits.earned)} of ${num(g.credits.needed)}`, null, g.title]);
  }
  facts.push(["catalog", "Catalog", s.audit.catalog]);
  facts.push(["plan", "Plan", s.plan.status]);
  facts.push(["credits", "Credits the plan adds", num(s.plan.added_credits)]);
  facts.push(["courses", "Courses the plan adds", num(s.plan.added_courses)]);
  facts.push(["completes", "Finishes", s.plan.completes || "—"]);
  facts.push(["terms", "Terms to graduation", num(s.plan.terms_to_graduation)]);
  return facts;
}

export function renderCompare() {
  const r = state.compare;
  const all = [r.base, ...r.scenarios];
  const facts = all.map(scenarioFacts);
  const order = [];
  const labels = {};
  const groups = {};
  for (const f of facts) {
    for (const [k, label, , , group] of f) {
      if (!order.includes(k)) { order.push(k); labels[k] = label; groups[k] = group || "Plan and catalog"; }
    }
  }
  // Rows of one goal together, under the goal's name; then the catalog and the plan.
  const groupOrder = [...new Set(order.map((k) => groups[k]))];
  order.sort((x, y) => groupOrder.indexOf(groups[x]) - groupOrder.indexOf(groups[y]));
  const value = (i, k) => { const f = facts[i].find((x) => x[0] === k); return f ? f : null; };
  const head = el("tr", {}, el("th", { scope: "col" }, "What"),
    all.map((s, i) => el("th", { scope: "col" }, i === 0 ? "As recorded" : s.name)));
  const body = [];
  let lastGroup = null;
  for (const k of order) {
    if (groups[k] !== lastGroup) {
      lastGroup = groups[k];
      body.push(el("tr", { class: "group" }, el("th", { scope: "colgroup", colspan: all.length + 1 }, lastGroup)));
    }
    body.push(factRow(k));
  }
  function factRow(k) {
    return el("tr", { dataset: { fact: k } }, el("th", { scope: "row" }, labels[k]),
    all.map((s, i) => {
      const f = value(i, k);
      const base = value(0, k);
      const text = f ? f[2] : "—";
      const changed = i > 0 && (base ? base[2] : "—") !== text;
      return el("td", { class: changed ? "diff" : null, dataset: { scenario: i === 0 ? "base" : s.name } },
        f && f[3] ? badge(f[3]) : text, changed ? el("span", { class: "sr" }, " (changed)") : null,
        changed ? el("span", { class: "delta", "aria-hidden": "true" }, " ◆") : null);
    }));
  }
  const table = el("table", { class: "compare", id: "compare-table" },
    el("caption", {}, "Scenarios side by side. Highlighted cells differ from the student as recorded."),
    el("thead", {}, head), el("tbody", {}, body));
  const details = r.scenarios.map((s) => el("article", { class: "scenario-result", dataset: { scenario: s.name } },
    el("h3", {}, s.name),
    el("p", { class: "scenario-summary" }, s.summary),
    goalChanges(s),
    s.requirements.length
      ? el("details", { class: "parts", open: s.requirements.length <= 8 },
        el("summary", {}, `Requirements that change status (${s.requirements.length})`),
        el("ul", { class: "req-changes" }, s.requirements.map((c) =>
          el("li", {}, `${goalTitle(c.goal)} › ${c.title}: `, c.before ? badge(c.before) : "not a goal", " → ",
            c.after ? badge(c.after) : "not a goal"))))
      : el("p", {}, "No requirement changes status."),
    s.courses_added.length ? el("p", {}, `Plan adds: ${s.courses_added.join(", ")}`) : null,
    s.courses_removed.length ? el("p", {}, `Plan no longer needs: ${s.courses_removed.join(", ")}`) : null));
  clear($("compare-out"), scrollBox("Scenario comparison", table), details);
}

export function goalChanges(s) {
  const moved = s.goals.filter((g) => g.before !== g.after);
  if (!moved.length) return el("p", {}, "Every goal keeps its status.");
  return el("ul", { class: "goal-changes" }, moved.map((g) => el("li", {}, `${goalTitle(g.goal)}: `,
    g.before ? badge(g.before) : "not a goal", " → ", g.after ? badge(g.after) : "not a goal")));
}
