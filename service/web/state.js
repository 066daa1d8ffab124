/* What the counselor has entered and what the API answered, for this tab only, and small
 * lookups over it.
 */

export const MAX_SCENARIOS = 3;

export const state = {
  samples: [],
  goalsIndex: [],
  jurisdictions: [],
  student: null,
  unmapped: [],
  importWarnings: [],
  goals: [],
  audit: null,
  plan: null,
  scenarios: [],
  compare: null,
  catalogCourses: {},
  courseCache: {},
  seq: { audit: 0, plan: 0, compare: 0 },
};

export function goalTitle(id) {
  const g = state.goalsIndex.find((x) => x.id === id);
  return g ? g.title : id;
}

export function request(extra) {
  const body = { student: state.student };
  if (state.goals.length) body.goals = state.goals;
  return Object.assign(body, extra || {});
}

export function rowTitles() {
  const titles = {};
  for (const g of (state.audit ? state.audit.goals : [])) for (const r of g.rows) titles[r.index] = r;
  return titles;
}

export function countStatuses(reqs) {
  const out = { met: 0, in_progress: 0, unmet: 0 };
  for (const r of reqs) out[r.status] = (out[r.status] || 0) + 1;
  return out;
}
