"""The plan as a CP-SAT model: where each candidate course goes, and what each requirement gets.

Variables: ``x[c, p]`` (course ``c`` taken in placement ``p``), ``a[i, L]`` (item ``i``, a row
already on the transcript or a candidate course, counted toward consuming requirement ``L``), and
one literal per requirement node saying it is met. The audit's semantics are mirrored where they
are exact (whole rows, one consuming requirement per row, limits, ``before``, ``within``,
``share``, distinct course counts, sequence levels, ``all``/``any``/``n_of``, other goals) and
the audit itself checks every plan afterwards (see :mod:`engine.planning.plan`).

Placements no plan can use (a lock rules them out, or prerequisites could not be done in time
even at their earliest) get no variable. In the *timeless* relaxation (``Problem.timeless``, see
:mod:`engine.planning.solve`) each course has just its earliest placement, its own "taken"
literal, prerequisites only ask to be taken too, and loads are windows of periods.

Every family of constraints a student could change belongs to a named *group* (a course's
prerequisites, its terms offered, the load limit, one requirement of a goal...). In explaining
mode each group is switched on by an assumption literal, so CP-SAT can name a set of groups that
cannot hold together; :mod:`engine.planning.infeasible` shrinks it to a minimal one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from engine.grades import letter_rank
from engine.model import Course, Prereq, PrereqAll, PrereqCourse
from engine.normalize import GradedRow
from engine.planning.cache import placement_table
from engine.planning.scope import UNIT, LinearExpr, Lit, Scope, units
from engine.planning.terms import Calendar, Placement, row_span
from engine.planning.windows import add_windows
from engine.requirements import (
    CompiledSet,
    CountLeaf,
    CreditLeaf,
    Group,
    ItemLeaf,
    Node,
)
from engine.student import Experience

__all__ = ["GroupKey", "PlanModel", "Problem", "Solution"]

GroupKey = tuple[str, ...]


@dataclass
class Problem:
    """Everything the model is built from (assembled by :mod:`engine.planning.plan`)."""

    calendar: Calendar
    candidates: Sequence[Course]
    goals: Sequence[str]  # the student's goals, planned together
    sets: Mapping[str, CompiledSet]  # every set the goals reach (``goal`` requirements)
    graded: Mapping[str, Sequence[GradedRow]]  # set id -> the transcript as it reads it
    passed: Sequence[GradedRow]  # the transcript under the catalog's own scale (prerequisites)
    experiences: Sequence[Experience]
    max_courses: int | None
    max_credits: float | None
    locks: Sequence[tuple[str, int | None, str | None]]
    excluded: Sequence[str]
    preference: Mapping[str, int]
    relax: bool = False  # explaining mode: every group behind an assumption literal
    summer_allowed: bool = True
    optimize: bool = True  # False when only asking whether any plan exists
    forbidden: list[frozenset[str]] = field(default_factory=list)  # course sets the audit refused
    # The timeless relaxation (see :mod:`engine.planning.solve`): each course at its earliest
    # possible placement, loads as windows of periods, prerequisites only as "taken too".
    timeless: bool = False


@dataclass
class Solution:
    """What the solver found."""

    status: str  # optimal | feasible | infeasible | unknown
    placed: list[tuple[str, Placement]]  # course id -> placement, in time order
    milestones: list[tuple[str, ItemLeaf]]  # (set id, item) the plan relies on
    credits_bound: float  # proven lower bound on added credits
    wall: float
    core: list[GroupKey]
    tiers: tuple[int, ...] = ()  # each tier's value, for the tiers solved to optimality
    dtime: float = 0.0  # deterministic time spent


class PlanModel:
    """Build the model for a :class:`Problem`, solve it, read the plan back."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        self.m = cp_model.CpModel()
        self.guards: dict[GroupKey, Lit] = {}
        self.x: dict[str, list[tuple[Placement, Lit]]] = {}
        self.taken: dict[str, Lit] = {}
        self.courses = {c.id: c for c in problem.candidates}
        self.course_units = {c.id: units(c.credits) for c in problem.candidates}
        self.met_cache: dict[tuple[str, int], Lit] = {}
        self.scope_met: dict[str, Lit] = {}
        self.items_needed: list[tuple[str, ItemLeaf, Lit]] = []
        self.true = self.m.new_constant(1)
        self._prereq_cache: dict[tuple[int, int], Lit | bool] = {}
        self.build()

    # ---- groups -----------------------------------------------------------------------------

    def guard(self, key: GroupKey) -> Lit | None:
        """The assumption literal of a group (explaining mode), else None (always enforced)."""
        if not self.p.relax:
            return None
        found = self.guards.get(key)
        if found is None:
            found = self.m.new_bool_var("g:" + "|".join(key))
            self.guards[key] = found
        return found

    def enforce(self, ct: cp_model.Constraint, key: GroupKey) -> None:
        lit = self.guard(key)
        if lit is not None:
            ct.only_enforce_if(lit)

    # ---- placements -------------------------------------------------------------------------

    def build(self) -> None:
        p = self.p
        self.options = self._options()
        for course in p.candidates:
            options = self.options[course.id]
            taken = self.m.new_bool_var(f"t:{course.id}")
            pairs: list[tuple[Placement, Lit]] = []
            if p.timeless:
                # The earliest placement stands for every one: the course's own literal.
                pairs = [(options[0], taken)] if options else []
                if not options:
                    self.m.add(taken == 0)
            else:
                for place in options:
                    pairs.append(
                        (place, self.m.new_bool_var(f"x:{course.id}:{place.grade}:{place.term}"))
                    )
                self.m.add(sum(v for _, v in pairs) == taken)
            self.x[course.id] = pairs
            self.taken[course.id] = taken
            if p.relax:
                self._relaxed_rules(course, pairs)
        self._locks_and_exclusions()
        self._prerequisites()
        self._loads()
        for goal in p.goals:
            self._require_goal(goal)
        for banned in p.forbidden:
            others = [t for cid, t in self.taken.items() if cid not in banned]
            flips: list[cp_model.LiteralT] = [
                self.taken[c].negated() for c in sorted(banned) if c in self.taken
            ]
            self.m.add_bool_or([*flips, *others])
        if p.optimize:
            self._objective()

    def _options(self) -> dict[str, list[Placement]]:
        """Where each candidate may go, in time order.

        Outside explaining mode a placement gets no variable when a lock rules it out, or when
        the course's prerequisites could not be done before it even at their earliest, or its
        corequisites not by then: no plan can use it, so the model is smaller and the solver
        need not discover it.
        """
        p = self.p
        table = placement_table(p.calendar, offered_only=not p.relax)
        out = {c.id: list(table.of(c)) for c in p.candidates}
        if p.relax:
            return out
        for cid, grade, term in p.locks:
            if cid in out:
                out[cid] = [
                    pl
                    for pl in out[cid]
                    if (grade is None or pl.grade == grade) and (term is None or pl.term == term)
                ]
        never = 10**6
        first_end: dict[str, int] = {}

        def done_by(node: Prereq, before: int) -> bool:
            if isinstance(node, PrereqCourse):
                if self._fixed_done(node.course, node.min_grade, before):
                    return True
                return node.course in out and earliest(node.course) < before
            kids = node.all if isinstance(node, PrereqAll) else node.any
            check = all if isinstance(node, PrereqAll) else any
            return check(done_by(k, before) for k in kids)

        def earliest(cid: str) -> int:
            if cid not in first_end:
                first_end[cid] = never  # catalogs have no prerequisite cycles; guard anyway
                prereq = self.courses[cid].prerequisites
                if prereq is not None:
                    out[cid] = [pl for pl in out[cid] if done_by(prereq, pl.start)]
                first_end[cid] = min((pl.end for pl in out[cid]), default=never)
            return first_end[cid]

        for cid in out:
            earliest(cid)
        for cid, options in out.items():
            for co in self.courses[cid].corequisites:
                first = min((q.start for q in out.get(co, [])), default=never)
                options = [
                    pl
                    for pl in options
                    if first <= pl.start or self._fixed_done(co, None, pl.start + 1)
                ]
            out[cid] = options
        return out

    def placed_in_grades(
        self, cid: str, grades: Sequence[int], summers: Sequence[int] = ()
    ) -> list[Lit]:
        """Literals for ``cid`` taken in one of ``grades``, or in the summer after one of
        ``summers`` (timeless: taken, if it could be)."""

        def inside(pl: Placement) -> bool:
            return pl.grade in grades or (pl.term == "summer" and pl.grade in summers)

        if self.p.timeless:
            fits = any(inside(pl) for pl in self.options[cid])
            return [self.taken[cid]] if fits else []
        return [v for pl, v in self.x[cid] if inside(pl)]

    def _relaxed_rules(self, course: Course, pairs: list[tuple[Placement, Lit]]) -> None:
        for place, var in pairs:
            term_ok = (
                course.terms == ("year",) if place.term == "year" else place.term in course.terms
            )
            if not term_ok:
                self.enforce(self.m.add(var == 0), ("offered", course.id))
            if place.grade not in course.grade_levels:
                self.enforce(self.m.add(var == 0), ("grades", course.id))
            if place.term == "summer" and not self.p.summer_allowed:
                self.enforce(self.m.add(var == 0), ("summer",))
        if course.id in self.p.excluded:
            self.enforce(self.m.add(self.taken[course.id] == 0), ("exclude", course.id))

    def _locks_and_exclusions(self) -> None:
        for cid, grade, term in self.p.locks:
            if cid not in self.taken:
                continue
            key = ("lock", cid)
            self.enforce(self.m.add(self.taken[cid] == 1), key)
            for place, var in self.x[cid]:
                if (grade is not None and place.grade != grade) or (
                    term is not None and place.term != term
                ):
                    self.enforce(self.m.add(var == 0), key)

    # ---- prerequisites and corequisites ----------------------------------------------------

    def _fixed_done(self, cid: str, min_grade: str | None, before: int) -> bool:
        for row in self.p.passed:
            if row.course.id != cid or not row.credited:
                continue
            end = row_span(row.grade_level, row.term)[1]
            if end >= before:
                continue
            if row.status == "completed" and min_grade is not None:
                if row.letter is None or row.letter == "P":
                    continue
                if letter_rank(row.letter) < letter_rank(min_grade):
                    continue
            return True
        return False

    def _prereq_lit(self, node: Prereq, before: int) -> Lit | bool:
        key = (id(node), before)
        if key in self._prereq_cache:
            return self._prereq_cache[key]
        out: Lit | bool
        if isinstance(node, PrereqCourse):
            if self._fixed_done(node.course, node.min_grade, before):
                out = True
            else:
                options = [v for pl, v in self.x.get(node.course, []) if pl.end < before]
                if not options:
                    out = False
                elif len(options) == 1:
                    out = options[0]  # no literal of its own needed
                else:
                    lit = self.m.new_bool_var("")
                    self.m.add_bool_or(options).only_enforce_if(lit)
                    out = lit
        else:
            kids = [
                self._prereq_lit(k, before)
                for k in (node.all if isinstance(node, PrereqAll) else node.any)
            ]
            is_all = isinstance(node, PrereqAll)
            if is_all and any(k is False for k in kids):
                out = False
            elif not is_all and any(k is True for k in kids):
                out = True
            else:
                lits = [k for k in kids if not isinstance(k, bool)]
                if not lits:
                    out = is_all
                elif len(lits) == 1:
                    out = lits[0]
                else:
                    lit = self.m.new_bool_var("")
                    if is_all:
                        for k in lits:
                            self.m.add_implication(lit, k)
                    else:
                        self.m.add_bool_or(lits).only_enforce_if(lit)
                    out = lit
        self._prereq_cache[key] = out
        return out

    def _prerequisites(self) -> None:
        for cid, pairs in self.x.items():
            course = self.courses[cid]
            if self.p.timeless and pairs:
                # Done before the latest placement: true of every plan, so a relaxation.
                pairs = [(self.options[cid][-1], pairs[0][1])]
            for place, var in pairs:
                if course.prerequisites is not None:
                    need = self._prereq_lit(course.prerequisites, place.start)
                    if need is False:
                        self.enforce(self.m.add(var == 0), ("prereq", cid))
                    elif need is not True:
                        self.enforce(self.m.add_implication(var, need), ("prereq", cid))
                for co in course.corequisites:
                    if self._fixed_done(co, None, place.start + 1):
                        continue
                    options = [v for pl, v in self.x.get(co, []) if pl.start <= place.start]
                    ct = (
                        self.m.add_bool_or(options).only_enforce_if(var)
                        if options
                        else self.m.add(var == 0)
                    )
                    self.enforce(ct, ("coreq", cid))

    # ---- loads ------------------------------------------------------------------------------

    def _loads(self) -> None:
        p = self.p
        cal = p.calendar
        if p.max_courses is None and p.max_credits is None:
            return
        if p.timeless:
            return  # loads as windows, once the last term exists (engine.planning.windows)
        fixed_courses, fixed_units = self.fixed_load()
        for i, _ in enumerate(cal.periods):
            terms: list[tuple[int, Lit]] = []
            for cid, pairs in self.x.items():
                credits = units(self.courses[cid].credits)
                for place, var in pairs:
                    if i in place.periods:
                        terms.append((credits // len(place.periods), var))
            if p.max_courses is not None:
                ct = self.m.add(sum(v for _, v in terms) + fixed_courses[i] <= p.max_courses)
                self.enforce(ct, ("load",))
            if p.max_credits is not None:
                ct = self.m.add(
                    sum(u * v for u, v in terms) + fixed_units[i] <= units(p.max_credits)
                )
                self.enforce(ct, ("load",))

    def fixed_load(self) -> tuple[list[int], list[int]]:
        """Courses and credit units the rows already scheduled put in each period."""
        cal = self.p.calendar
        fixed_courses = [0 for _ in cal.periods]
        fixed_units = [0 for _ in cal.periods]
        index = {(q.grade, q.term): i for i, q in enumerate(cal.periods)}
        for row in self.p.passed:
            if row.status == "completed" and row.use != "credit":
                continue
            keys = (
                [(row.grade_level, "fall"), (row.grade_level, "spring")]
                if row.term == "year" and cal.semesters
                else [(row.grade_level, row.term)]
            )
            for k in keys:
                if k in index:
                    fixed_courses[index[k]] += 1
                    fixed_units[index[k]] += units(row.credits) // len(keys)
        return fixed_courses, fixed_units

    # ---- requirements -----------------------------------------------------------------------

    def _require_goal(self, goal: str) -> None:
        cset = self.p.sets[goal]
        scope = Scope(self, cset)
        for name, node in cset.requirements.items():
            lit = scope.met(node)
            self.enforce(self.m.add(lit == 1), ("req", goal, name))
        self.scope_met[goal] = self.true

    def goal_met(self, goal: str) -> Lit:
        """A literal that is true only when ``goal`` (named by a ``goal`` requirement) is met."""
        found = self.scope_met.get(goal)
        if found is None:
            cset = self.p.sets[goal]
            found = self.m.new_bool_var(f"goal:{goal}")
            self.scope_met[goal] = found
            scope = Scope(self, cset)
            for node in cset.requirements.values():
                self.m.add_implication(found, scope.met(node))
        return found

    # ---- objective and solving --------------------------------------------------------------

    credit_step = 1
    count_weight = 1
    disliked: LinearExpr = 0
    last: LinearExpr = 0
    floor = 0
    tiers: tuple[LinearExpr, ...] = ()
    _last: tuple[list[tuple[str, Placement]], list[tuple[str, ItemLeaf]]] | None = None
    values: list[int] | None = None  # every variable's value in the last solution found

    def _objective(self) -> None:
        """The tiers, most important first: added credits, courses (and milestones), the last
        term used, and courses outside the student's preferences."""
        p = self.p
        cids = list(self.taken)
        sizes = [units(self.courses[c].credits) for c in cids]
        self.credit_step = max(math.gcd(*sizes), 1) if sizes else 1
        credits = cp_model.LinearExpr.weighted_sum(
            [self.taken[c] for c in cids], [u // self.credit_step for u in sizes]
        )
        milestones = [lit for _, _, lit in self.items_needed]
        count = cp_model.LinearExpr.sum([*self.taken.values(), *milestones])
        nper = len(p.calendar.periods)
        last = self.m.new_int_var(0, nper, "last")
        self.floor = self._completion_floor()
        self.m.add(last >= self.floor)
        for pairs in self.x.values():
            for place, var in pairs:
                self.m.add(last >= max(place.periods) + 1).only_enforce_if(var)
        disliked = cp_model.LinearExpr.sum(
            [self.taken[c] for c in cids if not p.preference.get(c, 0)]
        )
        # Two tiers, each a weighted pair whose weights keep the order strict: a credit step
        # outweighs any number of courses; a term outweighs any number of disliked courses.
        most = len(cids) + len(milestones) + 1
        self.count_weight = most
        self.tiers = (credits * most + count, last * most + disliked)
        self.disliked = disliked
        self.last = last
        if p.timeless:
            add_windows(self, last)

    def _earliest(self) -> dict[str, tuple[int, int]]:
        """Course -> (end slot, last period + 1) of its earliest possible placement (the
        placements are already those whose prerequisites could be done in time)."""
        return {
            cid: (opts[0].end, max(opts[0].periods) + 1)
            for cid, opts in self.options.items()
            if opts
        }

    def _completion_floor(self) -> int:
        """No plan finishes before this period: requirements every plan must add a course to,
        each at its earliest. A valid bound that spares the solver proving it."""
        early = self._earliest()
        rows = {sid: [r for r in rows if r.credited] for sid, rows in self.p.graded.items()}

        def floor(node: Node, sid: str) -> int:
            if isinstance(node, Group):
                kids = sorted(floor(child, sid) for child in node.children)
                if node.op == "all":
                    return max(kids, default=0)
                return kids[node.need - 1] if len(kids) >= node.need else 0
            if isinstance(node, CreditLeaf | CountLeaf):
                have = [r for r in rows[sid] if r.course.id in node.eligible]
                if isinstance(node, CreditLeaf):
                    if sum(r.credits for r in have) + 1e-9 >= node.demand:
                        return 0
                elif len({r.course.id for r in have}) >= node.need:
                    return 0
                options = [early[c][1] for c in node.eligible if c in early]
                return min(options, default=0) if options else 0
            return 0

        best = 0
        for goal in self.p.goals:
            cset = self.p.sets[goal]
            for node in cset.requirements.values():
                best = max(best, floor(node, goal))
        return min(best, len(self.p.calendar.periods))

    def solve(
        self,
        time_limit: float,
        assumptions: Sequence[Lit] = (),
        *,
        known: Sequence[int] = (),
        hint: Sequence[tuple[str, Placement]] = (),
        objectives: Sequence[LinearExpr] | None = None,
        warm: bool = False,
    ) -> Solution:
        """Solve tier by tier (each tier's optimum fixed before the next), within one budget of
        deterministic time.

        ``known`` are optima of the first tiers already proven elsewhere (fixed, not solved);
        ``hint`` is a plan to start from, or with ``warm`` this model's previous solution
        (every variable: the solver need not complete it); ``objectives`` replace the tiers.
        Each tier proven optimal (or known) stays fixed in the model for later solves.
        """
        self.m.clear_assumptions()
        self._last = None
        if assumptions:
            self.m.add_assumptions(list(assumptions))
        tiers: Sequence[LinearExpr] = self.tiers if self.p.optimize else (0,)
        if objectives is not None:
            tiers = objectives
        left = time_limit
        wall = 0.0
        proven = True
        credits_bound = 0.0
        solver = cp_model.CpSolver()
        status = "unknown"
        values: list[int] = []
        for tier, value in zip(tiers, known, strict=False):
            self.m.add(tier <= value)
            values.append(value)
        if known:
            credits_bound = self.credits_of(known[0])
        start = {(cid, place) for cid, place in hint}
        hints: list[tuple[int, int]] = []
        if warm and self.values:
            hints = list(enumerate(self.values))
        elif hint:
            hints = [
                (v.index, int((cid, pl) in start))
                for cid, pairs in self.x.items()
                for pl, v in pairs
            ]
        for depth in range(len(values), len(tiers)):
            tier = tiers[depth]
            if self.p.optimize:
                self.m.minimize(tier)
            self.m.clear_hints()  # type: ignore[no-untyped-call]
            if hints:
                self.m.proto.solution_hint.vars.extend(i for i, _ in hints)
                self.m.proto.solution_hint.values.extend(v for _, v in hints)
            solver = cp_model.CpSolver()
            params = solver.parameters
            params.num_workers = 1
            params.random_seed = 7
            params.linearization_level = 2
            params.cp_model_probing_level = 0
            if self.p.timeless:
                # Measured on the relaxation (no placements to presolve away): presolve costs
                # more than it saves, its LP is best built whole rather than lazily, and
                # polishing the LP solution finds the optimum sooner once the bound is proven.
                params.cp_model_presolve = False
                params.add_lp_constraints_lazily = False
                params.polish_lp_solution = True
            params.max_deterministic_time = max(left, 0.01)
            params.max_time_in_seconds = max(left, 0.01) * 4
            code = solver.solve(self.m)
            wall += solver.wall_time
            left -= solver.deterministic_time
            if code == cp_model.INFEASIBLE and self._last is None:
                status = "infeasible"  # (with ``known`` tiers: no plan reaches them)
                break
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if self._last is None:
                    status = "unknown"
                else:
                    proven = False  # keep the previous tier's solution
                break
            status = "optimal"
            self._last = self._read(solver)
            self.values = list(solver.response_proto.solution)
            hints = list(enumerate(self.values))
            if not self.p.optimize:
                break
            value = round(solver.objective_value)
            if depth == 0 and objectives is None:
                credits_bound = self.credits_of(solver.best_objective_bound + 1e-9)
            if code != cp_model.OPTIMAL:
                proven = False
                break
            values.append(value)
            self.m.add(tier <= value)
            if left <= 0 and depth < len(tiers) - 1:
                proven = False
                break
        core: list[GroupKey] = []
        if status == "infeasible" and assumptions:
            by_index = {lit.index: key for key, lit in self.guards.items()}
            for index in solver.sufficient_assumptions_for_infeasibility():
                if index in by_index:
                    core.append(by_index[index])
        spent = time_limit - left
        if status in ("infeasible", "unknown") or self._last is None:
            return Solution(status, [], [], credits_bound, wall, core, (), spent)
        placed, milestones = self._last
        return Solution(
            "optimal" if proven else "feasible",
            placed,
            milestones,
            credits_bound,
            wall,
            core,
            tuple(values),
            spent,
        )

    def credits_of(self, first_tier: float) -> float:
        """The added credits a value (or bound) of the first tier stands for."""
        steps = math.floor(first_tier / self.count_weight)
        return max(0, steps) * self.credit_step / UNIT

    def key_of(self, solution: Solution) -> tuple[int, int]:
        """The objective's two tiers for a plan, as this model weighs them."""
        placed = [cid for cid, _ in solution.placed]
        credits = sum(units(self.courses[c].credits) for c in placed) // self.credit_step
        count = len(placed) + len(solution.milestones)
        last = max(_last_period(solution.placed), self.floor)
        disliked = sum(1 for c in placed if not self.p.preference.get(c, 0))
        return (credits * self.count_weight + count, last * self.count_weight + disliked)

    def _read(
        self, solver: cp_model.CpSolver
    ) -> tuple[list[tuple[str, Placement]], list[tuple[str, ItemLeaf]]]:
        placed: list[tuple[str, Placement]] = []
        for cid, pairs in self.x.items():
            for place, var in pairs:
                if solver.value(var):
                    placed.append((cid, place))
        placed.sort(key=lambda cp: (cp[1].start, cp[1].end, cp[0]))
        milestones = [(s, leaf) for s, leaf, lit in self.items_needed if solver.value(lit)]
        return placed, milestones


def _last_period(placed: Sequence[tuple[str, Placement]]) -> int:
    """The objective's "last term used" (period index + 1; 0 for an empty plan)."""
    return max((max(pl.periods) + 1 for _, pl in placed), default=0)
