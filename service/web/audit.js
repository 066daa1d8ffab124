/* The audit view: a card per goal with progress bars per requirement, the reasons, the courses
 * applied and the policies' alerts.
 */
import { api } from "./api.js";
import { renderGoals } from "./app.js";
import { $, STATUS_LABEL, badge, clear, el, num, setStatus, showError, unitWord } from "./dom.js";
import { countStatuses, request, rowTitles, state } from "./state.js";
import { renderSummaryIfShown } from "./summary.js";

export async function runAudit() {
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

export function progressBar(p, label, value) {
  if (!p || !p.needed) return null;
  const need = p.needed;
  // A GPA is not accumulated like credits: the bar shows the GPA so far against the floor.
  const gpa = p.unit === "gpa" && value !== null && value !== undefined ? value : null;
  const earned = Math.min(gpa !== null ? gpa : p.earned, need);
  const pending = Math.min(p.in_progress + p.planned, Math.max(need - earned, 0));
  const pct = (x) => `${Math.max(0, Math.min(100, (x / need) * 100)).toFixed(1)}%`;
  const text = p.unit === "gpa"
    ? (gpa !== null ? `GPA ${num(gpa)} so far; ${num(p.needed)} needed` : `GPA of ${num(p.needed)} needed`)
    : `${num(p.earned)} of ${num(p.needed)} ${unitWord(p.unit, p.needed)} earned` +
      (p.in_progress + p.planned > 0 ? `, ${num(p.in_progress + p.planned)} in progress or planned` : "");
  return el("div", { class: "progress" },
    el("div", { class: "bar", role: "img", "aria-label": `${label}: ${text}` },
      el("span", { class: "seg earned", dataset: { w: pct(earned) } }),
      el("span", { class: "seg pending", dataset: { w: pct(pending) } })),
    el("p", { class: "bar-text", dataset: { earned: p.earned, needed: p.needed, pending: p.in_progress + p.planned } }, text));
}

/* CSP forbids inline style attributes: widths are set through the CSSOM after insertion. */
export function applyWidths(root) {
  for (const seg of root.querySelectorAll(".seg[data-w]")) seg.style.width = seg.dataset.w;
}

export function requirementItem(req, rows, depth) {
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
    progressBar(req.progress, req.title, req.value),
    req.value !== null && req.value !== undefined && !req.progress ? el("p", {}, `Value: ${num(req.value)}`) : null,
    el("p", { class: "reason" }, req.reason), applied, candidates, policies, kids);
}

export function renderAudit() {
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
  // Versions used in place of the student's catalog year: said before any verdict.
  const notices = (a.notices || []).length
    ? el("ul", { class: "alerts notices", "aria-label": "Notices" },
      a.notices.map((n) => el("li", { class: "alert sev-warning" }, el("strong", {}, "Note: "), n)))
    : null;
  clear(out, el("p", { class: "meta" }, `Catalog ${a.catalog} (${a.catalog_year}), ${a.jurisdiction}`),
    notices, overview, unrec, cards);
  applyWidths(out);
}
