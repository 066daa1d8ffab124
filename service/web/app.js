/* GradPath counselor workbench: loading a student, choosing goals, tabs and wiring.
 *
 * Plain JavaScript, no build step. Everything the counselor enters lives in `state` in this tab;
 * the student record is sent only in the body of API requests (same origin), and the optional API
 * key is kept in sessionStorage. All text from the API is inserted as text (never as HTML).
 */
import { KEY_STORE, api, apiKey } from "./api.js";
import { runAudit } from "./audit.js";
import { drawChain, renderChainCourses } from "./chain.js";
import { $, clear, el, plural, setStatus, showError } from "./dom.js";
import { runPlan } from "./plan.js";
import { ensureCatalogCourses, newScenario, renderScenarioEditors, runCompare } from "./scenarios.js";
import { MAX_SCENARIOS, goalTitle, state } from "./state.js";
import { exportScenario, renderSummary } from "./summary.js";

export function refreshKeyState() {
  $("key-state").textContent = apiKey() ? "(set for this tab)" : "(not set: open access)";
}

export function initKey() {
  refreshKeyState();
  $("key-save").addEventListener("click", () => {
    const v = $("api-key").value.trim();
    if (v) sessionStorage.setItem(KEY_STORE, v);
    $("api-key").value = "";
    refreshKeyState();
    setStatus(v ? "Key saved for this tab." : "No key entered.");
    loadReference();
  });
  $("key-clear").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORE);
    refreshKeyState();
    setStatus("Key forgotten.");
  });
}

export function tabs() {
  return Array.from(document.querySelectorAll('[role="tab"]'));
}

export function selectTab(tab, focus) {
  for (const t of tabs()) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  if (tab.id === "tab-summary") renderSummary();
}

export function initTabs() {
  for (const t of tabs()) {
    t.addEventListener("click", () => selectTab(t, false));
    t.addEventListener("keydown", (ev) => {
      const all = tabs();
      const i = all.indexOf(t);
      let next = null;
      if (ev.key === "ArrowRight") next = all[(i + 1) % all.length];
      else if (ev.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
      else if (ev.key === "Home") next = all[0];
      else if (ev.key === "End") next = all[all.length - 1];
      if (next) {
        ev.preventDefault();
        selectTab(next, true);
      }
    });
  }
}

export async function loadReference() {
  try {
    const [samples, goals, jurs] = await Promise.all([
      api("GET", "/v1/samples"), api("GET", "/v1/goals"), api("GET", "/v1/jurisdictions")]);
    state.samples = samples;
    state.goalsIndex = goals;
    state.jurisdictions = jurs;
    showError(null);
  } catch (e) {
    showError(e);
    return;
  }
  const sel = $("sample-select");
  clear(sel, state.samples.map((s) => el("option", { value: s.name },
    `${s.name} (${s.jurisdiction}, grade ${s.grade_level})`)));
  clear($("import-jur"), state.jurisdictions.map((j) => el("option", { value: j.jurisdiction }, j.jurisdiction)));
  const clusters = [...new Set(state.goalsIndex.map((g) => g.cluster).filter(Boolean))].sort();
  clear($("goal-cluster"), el("option", { value: "" }, "Any cluster"),
    clusters.map((c) => el("option", { value: c }, c.replace(/-/g, " "))));
  renderGoalResults();
}

export function setStudent(student, goals, scenarios, unmapped, warnings) {
  if (!student || typeof student !== "object" || !Array.isArray(student.transcript)) {
    showError({ title: "Not a student record", detail: "Expected a JSON object with a transcript list." });
    return;
  }
  state.student = student;
  state.unmapped = unmapped || [];
  state.importWarnings = warnings || [];
  state.goals = goals ? [...goals] : [...(student.goals || [])];
  if (!state.goals.length) {
    // A record without goals (an import, usually): start from the state's diploma.
    state.goals = state.goalsIndex
      .filter((g) => g.kind === "graduation" && g.jurisdiction === student.jurisdiction).map((g) => g.id);
  }
  state.scenarios = (scenarios || []).slice(0, MAX_SCENARIOS).map((sc, i) => ({
    name: String(sc.name || `Scenario ${String.fromCharCode(65 + i)}`),
    drop: sc.drop || [], add: sc.add || [], regrade: sc.regrade || [], goals: sc.goals || null,
    jurisdiction: sc.jurisdiction || null, catalog_year: sc.catalog_year || null,
  }));
  state.compare = null;
  state.audit = null;
  state.plan = null;
  showError(null);
  renderStudentInfo();
  renderGoals();
  renderGoalResults();
  renderScenarioEditors();
  clear($("compare-out"));
  refresh();
  ensureCatalogCourses();
}

export async function loadSample() {
  const name = $("sample-select").value;
  if (!name) return;
  setStatus(`Loading sample ${name}…`);
  try {
    setStudent(await api("GET", `/v1/samples/${encodeURIComponent(name)}`));
  } catch (e) {
    showError(e);
  }
}

export function loadPasted() {
  let data;
  try {
    data = JSON.parse($("json-input").value);
  } catch (e) {
    showError({ title: "That is not valid JSON", detail: String(e.message) });
    return;
  }
  if (data && data.format === "gradpath-workbench" && data.student) {
    setStudent(data.student, data.goals, data.scenarios || []);
  } else if (data && data.student && !data.transcript) {
    setStudent(data.student);
  } else {
    setStudent(data);
  }
}

export async function importFile() {
  const file = $("import-file").files[0];
  if (!file) {
    showError({ title: "No file chosen", detail: "Choose an Ed-Fi bundle (.json) or a CSV first." });
    return;
  }
  const params = new URLSearchParams({ jurisdiction: $("import-jur").value });
  for (const [field, id] of [["cohort", "import-cohort"], ["grade_level", "import-grade"], ["student_id", "import-id"]]) {
    const v = $(id).value.trim();
    if (v) params.set(field, v);
  }
  const text = await file.text();
  const isCsv = /\.csv$/i.test(file.name) || file.type === "text/csv";
  setStatus(`Importing ${file.name}…`);
  try {
    const result = isCsv
      ? await api("POST", `/v1/import/csv?${params}`, text, "text/csv")
      : await api("POST", `/v1/import/edfi?${params}`, text, "application/json");
    setStudent(result.student, null, null, result.unmapped, result.warnings);
  } catch (e) {
    showError(e);
  }
}

export function renderStudentInfo() {
  const s = state.student;
  if (!s) return;
  const rows = s.transcript.length;
  clear($("student-info"), el("dl", { class: "facts" },
    el("dt", {}, "Student"), el("dd", { id: "fact-student" }, s.id),
    el("dt", {}, "State"), el("dd", {}, s.jurisdiction),
    el("dt", {}, "Grade"), el("dd", {}, s.grade_level),
    el("dt", {}, "Class of"), el("dd", {}, s.cohort),
    el("dt", {}, "Transcript"), el("dd", {}, plural(rows, "row"))),
    state.importWarnings.length
      ? el("div", { class: "import-warnings", role: "status" },
        el("p", {}, "The source says this record may be incomplete:"),
        el("ul", {}, state.importWarnings.map((w) => el("li", {}, w))))
      : null,
    state.unmapped.length
      ? el("details", { class: "unmapped", open: true },
        el("summary", {}, `${plural(state.unmapped.length, "source row")} not imported`),
        el("ul", {}, state.unmapped.map((u) => el("li", {}, `${u.source}: ${u.reason}`))))
      : null);
}

export function renderGoals() {
  const list = $("goal-list");
  clear(list, state.goals.map((id) => el("li", { class: "chip", dataset: { goal: id } },
    el("span", {}, goalTitle(id)),
    el("button", { type: "button", class: "chip-x", "aria-label": `Remove goal ${goalTitle(id)}`,
      onclick: () => { state.goals = state.goals.filter((g) => g !== id); renderGoals(); renderGoalResults(); refresh(); } },
    "×"))));
  if (!state.goals.length) list.append(el("li", { class: "empty" }, "No goals chosen: add one below."));
  const chain = $("chain-goal");
  const goals = state.audit ? state.audit.goals.map((g) => g.goal) : state.goals;
  clear(chain, goals.map((g) => el("option", { value: g }, goalTitle(g))));
}

let goalSearchTimer = null;

let goalSearchSeq = 0;

export async function renderGoalResults() {
  const q = $("goal-q").value.trim();
  const kind = $("goal-kind").value;
  const cluster = $("goal-cluster").value;
  const jur = state.student ? state.student.jurisdiction : null;
  const seq = ++goalSearchSeq;
  let found = state.goalsIndex;
  if (q || cluster) {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (cluster) params.set("cluster", cluster);
    let careers = [];
    try { careers = await api("GET", `/v1/goals?${params}`); } catch (e) { showError(e); return; }
    if (seq !== goalSearchSeq) return;
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const rules = cluster ? [] : state.goalsIndex.filter((g) => g.kind !== "career_pathway" &&
      words.every((w) => `${g.id} ${g.title} ${g.kind}`.toLowerCase().includes(w)));
    found = [...rules, ...careers.filter((g) => g.kind === "career_pathway")];
  }
  if (kind === "rules") found = found.filter((g) => g.kind !== "career_pathway");
  if (kind === "careers") found = found.filter((g) => g.kind === "career_pathway");
  if (jur) found = found.filter((g) => g.jurisdiction === jur || g.jurisdiction === "US");
  found = found.filter((g) => !state.goals.includes(g.id));
  if (!q) found = [...found.filter((g) => g.kind !== "career_pathway"), ...found.filter((g) => g.kind === "career_pathway")];
  const shown = found.slice(0, 10);
  clear($("goal-results"), shown.map((g) => el("li", {},
    el("button", { type: "button", class: "add-goal", dataset: { goal: g.id },
      onclick: () => addGoal(g.id) },
    el("span", { class: "plus", "aria-hidden": "true" }, "+"), " ", g.title.replace(/^Career pathway: /, ""),
    el("span", { class: "kind" }, ` ${g.kind.replace(/_/g, " ")}${g.jurisdiction !== "US" ? " · " + g.jurisdiction : ""}`)))));
  if (found.length > shown.length) {
    $("goal-results").append(el("li", { class: "more" }, `${found.length - shown.length} more: narrow the search.`));
  }
  if (!found.length) $("goal-results").append(el("li", { class: "more" }, "No goal matches."));
}

export function addGoal(id) {
  if (!state.goals.includes(id)) state.goals.push(id);
  renderGoals();
  renderGoalResults();
  setStatus(`Added goal ${goalTitle(id)}.`);
  refresh();
}

export function refresh() {
  if (!state.student) return;
  runAudit();
  runPlan();
}

export function init() {
  initKey();
  initTabs();
  $("sample-load").addEventListener("click", loadSample);
  $("json-load").addEventListener("click", loadPasted);
  $("import-go").addEventListener("click", importFile);
  $("goal-q").addEventListener("input", () => { clearTimeout(goalSearchTimer); goalSearchTimer = setTimeout(renderGoalResults, 200); });
  $("goal-kind").addEventListener("change", renderGoalResults);
  $("goal-cluster").addEventListener("change", renderGoalResults);
  $("plan-go").addEventListener("click", runPlan);
  $("plan-max").addEventListener("change", runPlan);
  $("plan-summer").addEventListener("change", runPlan);
  $("chain-goal").addEventListener("change", renderChainCourses);
  $("chain-course").addEventListener("change", drawChain);
  $("scenario-add").addEventListener("click", () => {
    if (state.scenarios.length < MAX_SCENARIOS) state.scenarios.push(newScenario());
    renderScenarioEditors();
  });
  $("compare-go").addEventListener("click", runCompare);
  $("print-go").addEventListener("click", () => { renderSummary(); window.print(); });
  $("export-go").addEventListener("click", exportScenario);
  window.addEventListener("beforeprint", renderSummary);
  renderScenarioEditors();
  loadReference();
}

document.addEventListener("DOMContentLoaded", init);
