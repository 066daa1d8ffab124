/* GradPath counselor workbench.
 *
 * Plain JavaScript, no build step. Everything the counselor enters lives in `state` in this tab;
 * the student record is sent only in the body of API requests (same origin), and the optional API
 * key is kept in sessionStorage. All text from the API is inserted as text (never as HTML).
 */
"use strict";

const KEY_STORE = "gradpath.apiKey";
const MAX_SCENARIOS = 3;
const STATUS_LABEL = { met: "Met", in_progress: "In progress", unmet: "Unmet" };
const FAMILY_STATUS = {
  met: "done",
  in_progress: "on track if the current courses are passed",
  unmet: "not yet done",
};
const TERMS = ["fall", "spring", "summer"];

const state = {
  samples: [],
  goalsIndex: [],
  jurisdictions: [],
  student: null,
  goals: [],
  audit: null,
  plan: null,
  scenarios: [],
  compare: null,
  catalogCourses: {},
  courseCache: {},
  seq: { audit: 0, plan: 0, compare: 0 },
};

/* ---------- small DOM helpers ---------- */

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function clear(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined));
}

function num(x) {
  if (x === null || x === undefined) return "";
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

function plural(n, word, many) {
  return `${num(n)} ${n === 1 ? word : many || word + "s"}`;
}

function unitWord(unit, n) {
  const words = { credits: ["credit", "credits"], courses: ["course", "courses"],
    levels: ["level", "levels"], hours: ["hour", "hours"], items: ["item", "items"], gpa: ["GPA", "GPA"] };
  const w = words[unit] || [unit, unit];
  return n === 1 ? w[0] : w[1];
}

function badge(status) {
  return el("span", { class: `badge s-${status}`, dataset: { status } }, STATUS_LABEL[status] || status);
}

/* A region that may scroll sideways on a phone: focusable, so the keyboard can scroll it. */
function scrollBox(label, child) {
  return el("div", { class: "scroll", role: "region", "aria-label": label, tabindex: 0 }, child);
}

function setStatus(text) {
  $("status").textContent = text;
}

function showError(err) {
  const box = $("error");
  if (!err) {
    box.hidden = true;
    clear(box);
    return;
  }
  const items = (err.errors || []).slice(0, 8).map((e) =>
    el("li", {}, `${(e.loc || []).join(" › ")}: ${e.msg}`));
  clear(box, el("p", {}, el("strong", {}, err.title || "Something went wrong"), " ", err.detail || ""),
    items.length ? el("ul", {}, items) : null);
  box.hidden = false;
}

/* ---------- API ---------- */

function apiKey() {
  return sessionStorage.getItem(KEY_STORE) || "";
}

async function api(method, path, body, contentType) {
  const headers = { Accept: "application/json, application/problem+json" };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = contentType || "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "omit", cache: "no-store" });
  } catch (e) {
    throw { title: "The service could not be reached", detail: String(e.message || e) };
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!response.ok) {
    const problem = data && typeof data === "object" ? data : {};
    if (response.status === 401 || response.status === 403) {
      problem.title = problem.title || "A key is needed";
      problem.detail = `${problem.detail || ""} Enter the counselor API key at the top of the page.`.trim();
      $("key-box").open = true;
    }
    throw { status: response.status, title: problem.title || `HTTP ${response.status}`,
      detail: problem.detail || "", errors: problem.errors || [] };
  }
  return data;
}

/* ---------- key ---------- */

function refreshKeyState() {
  $("key-state").textContent = apiKey() ? "(set for this tab)" : "(not set: open access)";
}

function initKey() {
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

/* ---------- tabs ---------- */

function tabs() {
  return Array.from(document.querySelectorAll('[role="tab"]'));
}

function selectTab(tab, focus) {
  for (const t of tabs()) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  if (tab.id === "tab-summary") renderSummary();
}

function initTabs() {
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

/* ---------- reference data ---------- */

async function loadReference() {
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

function goalTitle(id) {
  const g = state.goalsIndex.find((x) => x.id === id);
  return g ? g.title : id;
}

/* ---------- loading a student ---------- */

function setStudent(student, goals, scenarios) {
  if (!student || typeof student !== "object" || !Array.isArray(student.transcript)) {
    showError({ title: "Not a student record", detail: "Expected a JSON object with a transcript list." });
    return;
  }
  state.student = student;
  state.goals = goals ? [...goals] : [...(student.goals || [])];
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

async function loadSample() {
  const name = $("sample-select").value;
  if (!name) return;
  setStatus(`Loading sample ${name}…`);
  try {
    setStudent(await api("GET", `/v1/samples/${encodeURIComponent(name)}`));
  } catch (e) {
    showError(e);
  }
}

function loadPasted() {
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

async function importFile() {
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
    setStudent(result.student);
    if (result.unmapped && result.unmapped.length) {
      setStatus(`Imported, with ${plural(result.unmapped.length, "row")} that could not be mapped.`);
    }
  } catch (e) {
    showError(e);
  }
}

function renderStudentInfo() {
  const s = state.student;
  if (!s) return;
  const rows = s.transcript.length;
  clear($("student-info"), el("dl", { class: "facts" },
    el("dt", {}, "Student"), el("dd", { id: "fact-student" }, s.id),
    el("dt", {}, "State"), el("dd", {}, s.jurisdiction),
    el("dt", {}, "Grade"), el("dd", {}, s.grade_level),
    el("dt", {}, "Class of"), el("dd", {}, s.cohort),
    el("dt", {}, "Transcript"), el("dd", {}, plural(rows, "row"))));
}

/* ---------- goals ---------- */

function renderGoals() {
  const list = $("goal-list");
  clear(list, state.goals.map((id) => el("li", { class: "chip", dataset: { goal: id } },
    el("span", {}, goalTitle(id)),
    el("button", { type: "button", class: "chip-x", "aria-label": `Remove goal ${goalTitle(id)}`,
      onclick: () => { state.goals = state.goals.filter((g) => g !== id); renderGoals(); renderGoalResults(); refresh(); } },
    "×"))));
  if (!state.goals.length) list.append(el("li", { class: "empty" }, "No goals: the state diploma is used."));
  const chain = $("chain-goal");
  const goals = state.audit ? state.audit.goals.map((g) => g.goal) : state.goals;
  clear(chain, goals.map((g) => el("option", { value: g }, goalTitle(g))));
}

let goalSearchTimer = null;
let goalSearchSeq = 0;

async function renderGoalResults() {
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

function addGoal(id) {
  if (!state.goals.includes(id)) state.goals.push(id);
  renderGoals();
  renderGoalResults();
  setStatus(`Added goal ${goalTitle(id)}.`);
  refresh();
}

/* ---------- audit ---------- */

function refresh() {
  if (!state.student) return;
  runAudit();
  runPlan();
}

function request(extra) {
  const body = { student: state.student };
  if (state.goals.length) body.goals = state.goals;
  return Object.assign(body, extra || {});
}

async function runAudit() {
  const seq = ++state.seq.audit;
  setStatus("Auditing…");
  try {
    const result = await api("POST", "/v1/audit", request());
    if (seq !== state.seq.audit) return;
    state.audit = result;
    showError(null);
    renderAudit();
    renderGoals();
    renderSummaryIfShown();
    setStatus(`Audit ready: ${result.goals.map((g) => `${g.title} ${STATUS_LABEL[g.status]}`).join("; ")}.`);
  } catch (e) {
    if (seq === state.seq.audit) showError(e);
  }
}

function progressBar(p, label) {
  if (!p || !p.needed) return null;
  const need = p.needed;
  const earned = Math.min(p.earned, need);
  const pending = Math.min(p.in_progress + p.planned, Math.max(need - earned, 0));
  const pct = (x) => `${Math.max(0, Math.min(100, (x / need) * 100)).toFixed(1)}%`;
  const text = p.unit === "gpa"
    ? `GPA ${num(p.earned)} of ${num(p.needed)} needed`
    : `${num(p.earned)} of ${num(p.needed)} ${unitWord(p.unit, p.needed)} earned` +
      (p.in_progress + p.planned > 0 ? `, ${num(p.in_progress + p.planned)} in progress or planned` : "");
  return el("div", { class: "progress" },
    el("div", { class: "bar", role: "img", "aria-label": `${label}: ${text}` },
      el("span", { class: "seg earned", style: null, dataset: { w: pct(earned) } }),
      el("span", { class: "seg pending", dataset: { w: pct(pending) } })),
    el("p", { class: "bar-text", dataset: { earned: p.earned, needed: p.needed, pending: p.in_progress + p.planned } }, text));
}

/* CSP forbids inline style attributes: widths are set through the CSSOM after insertion. */
function applyWidths(root) {
  for (const seg of root.querySelectorAll(".seg[data-w]")) seg.style.width = seg.dataset.w;
}

function rowTitles() {
  const titles = {};
  for (const g of (state.audit ? state.audit.goals : [])) for (const r of g.rows) titles[r.index] = r;
  return titles;
}

function requirementItem(req, rows, depth) {
  const applied = req.applied.length
    ? el("p", { class: "applied" }, "Courses applied: ",
      req.applied.map((a, i) => {
        const r = rows[a.index];
        const label = `${a.course}${r ? " " + r.title : ""} (${num(a.credits)})`;
        return [i ? ", " : "", el("span", { class: "course" }, label)];
      }))
    : null;
  const candidates = req.status !== "met" && req.candidates.length
    ? el("p", { class: "candidates" }, `Could use: ${req.candidates.slice(0, 8).join(", ")}`)
    : null;
  const policies = (req.policies || []).map((p) => el("p", { class: "policy" }, `Policy ${p.policy}: ${p.reason}`));
  const kids = req.children.length
    ? el("details", { class: "parts" }, el("summary", {}, `Parts (${req.children.length})`),
      el("ul", { class: "reqs" }, req.children.map((c) => requirementItem(c, rows, depth + 1))))
    : null;
  const heading = depth === 0 ? "h4" : "p";
  return el("li", { class: `req s-${req.status}`, dataset: { path: req.path, status: req.status } },
    el("div", { class: "req-head" }, el(heading, { class: "req-title" }, req.title), badge(req.status)),
    progressBar(req.progress, req.title),
    req.value !== null && req.value !== undefined && !req.progress ? el("p", {}, `Value: ${num(req.value)}`) : null,
    el("p", { class: "reason" }, req.reason), applied, candidates, policies, kids);
}

function countStatuses(reqs) {
  const out = { met: 0, in_progress: 0, unmet: 0 };
  for (const r of reqs) out[r.status] = (out[r.status] || 0) + 1;
  return out;
}

function renderAudit() {
  const a = state.audit;
  const out = $("audit-out");
  if (!a) return;
  const rows = rowTitles();
  const overview = el("ul", { class: "overview", "aria-label": "Goals at a glance" },
    a.goals.map((g) => {
      const c = countStatuses(g.requirements);
      return el("li", { class: `ov s-${g.status}`, dataset: { goal: g.goal } },
        el("a", { href: `#goal-${g.goal}` }, g.title), " ", badge(g.status),
        el("span", { class: "ov-count", dataset: { met: c.met, total: g.requirements.length } },
          ` ${c.met} of ${g.requirements.length} met`));
    }));
  const cards = a.goals.map((g) => {
    const c = countStatuses(g.requirements);
    const alerts = (g.alerts || []).map((al) => el("li", { class: `alert sev-${al.severity}` },
      el("strong", {}, al.severity === "critical" ? "Critical: " : al.severity === "warning" ? "Warning: " : "Note: "),
      al.message));
    const recs = (g.recommendations || []).map((r) => el("li", { class: "alert sev-info" },
      el("strong", {}, "Suggestion: "), r.message));
    return el("article", { class: `goal s-${g.status}`, id: `goal-${g.goal}`, dataset: { goal: g.goal } },
      el("div", { class: "goal-head" }, el("h3", {}, g.title), badge(g.status)),
      el("p", { class: "goal-kind" }, `${g.kind.replace(/_/g, " ")} · rules of ${g.version} · ${g.source}`),
      g.added_by ? el("p", { class: "policy" }, `Added by policy ${g.added_by.policy}: ${g.added_by.reason}`) : null,
      el("p", { class: "goal-summary" }, g.summary),
      el("p", { class: "req-count", dataset: { met: c.met, progress: c.in_progress, unmet: c.unmet } },
        `Requirements: ${c.met} met, ${c.in_progress} in progress, ${c.unmet} unmet`),
      g.credits ? progressBar(g.credits, `${g.title} credits`) : null,
      alerts.length || recs.length ? el("ul", { class: "alerts", "aria-label": "Alerts" }, alerts, recs) : null,
      el("ul", { class: "reqs" }, g.requirements.map((r) => requirementItem(r, rows, 0))));
  });
  const unrec = a.unrecognized.length
    ? el("div", { class: "alerts" }, el("h3", {}, "Rows not recognised"),
      el("ul", {}, a.unrecognized.map((u) => el("li", { class: "alert sev-warning" },
        `Row ${u.index} (${u.course || u.sced || "?"}): ${u.reason}`))))
    : null;
  clear(out, el("p", { class: "meta" }, `Catalog ${a.catalog} (${a.catalog_year}), ${a.jurisdiction}`),
    overview, unrec, cards);
  applyWidths(out);
}

/* ---------- plan ---------- */

function planConstraints() {
  const c = { allow_summer: $("plan-summer").checked };
  const max = $("plan-max").value;
  if (max) c.max_courses_per_term = Number(max);
  return c;
}

async function runPlan() {
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

function cellKey(grade, term) {
  return `${grade}-${term}`;
}

function renderPlan() {
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

/* ---------- prerequisite chain (SVG) ---------- */

function renderChainCourses() {
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

async function courseInfo(id, catalog) {
  const key = `${catalog}/${id}`;
  if (!state.courseCache[key]) {
    state.courseCache[key] = api("GET", `/v1/courses/${encodeURIComponent(id)}?catalog=${encodeURIComponent(catalog)}`)
      .catch(() => null);
  }
  return state.courseCache[key];
}

function directPrereqs(rule, anyGroup) {
  if (!rule) return [];
  if (rule.course) return [{ id: rule.course, any: anyGroup }];
  if (rule.all) return rule.all.flatMap((r) => directPrereqs(r, anyGroup));
  if (rule.any) return rule.any.flatMap((r) => directPrereqs(r, true));
  return [];
}

let chainSeq = 0;

async function drawChain() {
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

/* ---------- catalog courses (for adding a course in a scenario) ---------- */

async function ensureCatalogCourses() {
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

function catalogCourses() {
  const s = state.student;
  if (!s) return [];
  const year = s.catalog_year || (s.cohort ? s.cohort - 4 : 2025);
  return state.catalogCourses[`${s.jurisdiction}/${year}`] || [];
}

/* ---------- scenarios ---------- */

function newScenario() {
  const n = state.scenarios.length + 1;
  return { name: `Scenario ${String.fromCharCode(64 + n)}`, drop: [], add: [], regrade: [], goals: null,
    jurisdiction: null, catalog_year: null };
}

function rowLabel(r, i) {
  const status = r.status || (r.grade !== undefined ? "completed" : "in progress");
  return `${r.course || r.sced} · grade ${r.grade_level} ${r.term || "year"} · ${r.grade !== undefined ? "grade " + r.grade : status.replace("_", " ")}` +
    (i !== undefined ? ` [row ${i}]` : "");
}

function describeChange(kind, c) {
  if (kind === "drop") return `Drop ${c.course} (grade ${c.grade_level}${c.term ? " " + c.term : ""})`;
  if (kind === "regrade") return `Change ${c.course} (grade ${c.grade_level}) to ${c.grade}`;
  return `Add ${c.course} in grade ${c.grade_level} ${c.term}${c.grade !== undefined ? ", grade " + c.grade : " (" + c.status.replace("_", " ") + ")"}`;
}

function scenarioEditor(sc, idx) {
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
        onchange: (e) => { sc.name = e.target.value.trim() || sc.name; renderScenarioEditors(); } })),
    el("div", { class: "change" },
      el("label", { for: pid("drop") }, "Drop a course"),
      el("div", { class: "row" }, el("select", { id: pid("drop") }, rowOptions.map((o) => o.cloneNode(true))),
        el("button", { type: "button", class: "secondary", onclick: () => {
          const r = s.transcript[Number($(pid("drop")).value)];
          sc.drop.push({ course: r.course, grade_level: r.grade_level, term: r.term || "year" });
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
          sc.regrade.push({ course: r.course, grade_level: r.grade_level, term: r.term || "year", grade });
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
        el("select", { id: pid("jur"), onchange: (e) => { sc.jurisdiction = e.target.value || null; renderScenarioEditors(); } },
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

function renderScenarioEditors() {
  const box = $("scenario-editors");
  if (!state.student) { clear(box, el("p", { class: "empty" }, "Load a student first.")); return; }
  if (!state.scenarios.length) state.scenarios.push(newScenario());
  clear(box, state.scenarios.map((sc, i) => scenarioEditor(sc, i)));
  $("scenario-add").disabled = state.scenarios.length >= MAX_SCENARIOS;
}

function scenarioPayload(sc) {
  const out = { name: sc.name };
  if (sc.add.length) out.add = sc.add;
  if (sc.drop.length) out.drop = sc.drop;
  if (sc.regrade.length) out.regrade = sc.regrade;
  if (sc.goals) out.goals = sc.goals;
  if (sc.jurisdiction) out.jurisdiction = sc.jurisdiction;
  if (sc.catalog_year) out.catalog_year = sc.catalog_year;
  return out;
}

async function runCompare() {
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

function scenarioFacts(s) {
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

function renderCompare() {
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

function goalChanges(s) {
  const moved = s.goals.filter((g) => g.before !== g.after);
  if (!moved.length) return el("p", {}, "Every goal keeps its status.");
  return el("ul", { class: "goal-changes" }, moved.map((g) => el("li", {}, `${goalTitle(g.goal)}: `,
    g.before ? badge(g.before) : "not a goal", " → ", g.after ? badge(g.after) : "not a goal")));
}

/* A what-if in plain words for the family: what happens to each goal and to the plan. */
function familyWhatIf(s, base) {
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

/* ---------- family summary ---------- */

function renderSummaryIfShown() {
  if (!$("panel-summary").hidden) renderSummary();
}

const STATE_NAMES = { TX: "Texas", CA: "California", WA: "Washington", NY: "New York", FL: "Florida" };

function renderSummary() {
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

function describeScenario(sc) {
  if (!sc) return "";
  const bits = [];
  for (const kind of ["drop", "regrade", "add"]) for (const c of sc[kind]) bits.push(describeChange(kind, c));
  if (sc.goals) bits.push(`goals: ${sc.goals.map(goalTitle).join(", ")}`);
  if (sc.jurisdiction) bits.push(`moving to ${STATE_NAMES[sc.jurisdiction] || sc.jurisdiction}`);
  if (sc.catalog_year) bits.push(`catalog year ${sc.catalog_year}`);
  return bits.length ? `(${bits.join("; ")}).` : "(no changes).";
}

function exportScenario() {
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

/* ---------- wiring ---------- */

function init() {
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
