"""``plan``: the courses to take, term by term, so every goal is met; or why that is impossible.

The work, in order: the calendar of terms left (:mod:`.terms`); the candidate courses the
requirements and the course graph say can matter (:mod:`.candidates`); an exact CP-SAT model
minimising added credits, then courses, then the last term used, then courses the student
dislikes (:mod:`.model`), solved through a relaxation's bounds (:mod:`.solve`); the *audit*
of transcript + plan as the judge of every plan (a plan the audit does not accept is excluded
and the model solved again); the explanation of each course from that audit
(:mod:`.explain`); and, when no plan exists, a minimal set of conflicting constraints
(:mod:`.infeasible`).

Pure and deterministic: one solver worker, a fixed seed and a *deterministic* time limit, so the
same input gives the same plan on any machine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from engine.audit import audit
from engine.errors import FieldProblem, StudentDataError
from engine.knowledge import Knowledge, entering_year
from engine.model import Catalog, Course, Grading, PlanningDefaults
from engine.normalize import GradedRow, grade_rows, resolve_transcript
from engine.planning.candidates import find_candidates, preference_score
from engine.planning.constraints import CONSTRAINTS, PlanConstraints
from engine.planning.explain import alternatives_for, reason_text, services_by_row
from engine.planning.infeasible import explain_infeasible, minimal_conflict
from engine.planning.model import GroupKey, Problem, Solution
from engine.planning.results import (
    Milestone,
    PlannedCourse,
    PlanResult,
    Service,
    SolverStats,
    TermPlan,
)
from engine.planning.solve import solve_plan
from engine.planning.terms import (
    Calendar,
    Period,
    Placement,
    build_calendar,
    period_name,
    row_span,
)
from engine.requirements import CompiledSet, ItemLeaf
from engine.results import AuditResult
from engine.student import Experience, Student, TranscriptRow

__all__ = ["DEFAULT_MAX_COURSES", "MAX_AUDIT_RETRIES", "plan", "plan_rows"]

#: Courses per term when neither the student nor the catalog says (a seven-period day).
DEFAULT_MAX_COURSES = 7
#: Plans the audit may refuse before the planner gives up (each is excluded and solved again).
MAX_AUDIT_RETRIES = 3


def _reachable(
    knowledge: Knowledge, goals: Sequence[str], year: int, cohort: int, catalog: Catalog
) -> dict[str, CompiledSet]:
    """Every set the goals name, and the sets their ``goal`` requirements name in turn."""
    out: dict[str, CompiledSet] = {}
    todo = list(goals)
    while todo:
        goal = todo.pop(0)
        if goal in out:
            continue
        cset = knowledge.compiled(knowledge.ruleset(goal, year, cohort=cohort), catalog)
        out[goal] = cset
        todo.extend(cset.goals)
    return out


def _restated(sets: Mapping[str, CompiledSet], goals: Sequence[str]) -> frozenset[str]:
    """Goals whose every requirement another goal also names (a set another extends): such a
    goal is usually met whenever the other is."""
    out = set()
    for goal in goals:
        names = set(sets[goal].requirements)
        if any(o != goal and names < set(sets[o].requirements) for o in goals):
            out.add(goal)
    return frozenset(out)


def plan_rows(placed: Sequence[tuple[str, Placement]]) -> list[TranscriptRow]:
    """The ``planned`` transcript rows a plan adds."""
    return [
        TranscriptRow(course=cid, grade_level=pl.grade, term=pl.term, status="planned")
        for cid, pl in placed
    ]


def _milestone_experience(leaf: ItemLeaf, experiences: Sequence[Experience]) -> Experience:
    if leaf.op == "hours":
        have = sum(e.hours or 0 for e in experiences if e.kind == leaf.kind)
        return Experience(
            kind=leaf.kind,
            id=f"planned-{leaf.kind.replace('_', '-')}",
            hours=max(leaf.hours - have, 0.0),
            status="planned",
        )
    kind = "credential" if leaf.op == "credential" else "assessment"
    return Experience(
        kind=kind,
        id=leaf.ids[0],
        score=leaf.min_score,
        status="planned",
    )


def _milestone(goal: str, leaf: ItemLeaf, exp: Experience) -> Milestone:
    if leaf.op == "hours":
        text = f"complete {exp.hours:g} more hours of {leaf.kind.replace('_', ' ')}"
        return Milestone(
            goal=goal, requirement=leaf.path, kind=leaf.kind, amount=exp.hours, text=text
        )
    if leaf.op == "credential":
        text = "earn " + " or ".join(leaf.ids)
    else:
        score = f" with a score of at least {leaf.min_score:g}" if leaf.min_score else ""
        text = f"take {leaf.ids[0]}{score}"
    return Milestone(
        goal=goal,
        requirement=leaf.path,
        kind=leaf.op,
        id=leaf.ids[0],
        amount=leaf.min_score,
        text=text,
    )


def _canonical(row: GradedRow) -> int:
    return row.rank


def plan(
    *,
    knowledge: Knowledge,
    student: Student,
    goals: Sequence[str] | None = None,
    constraints: PlanConstraints | None = None,
) -> PlanResult:
    """Plan the courses that meet every goal from the next term to graduation.

    Examples
    --------
    >>> from pathlib import Path
    >>> from engine.knowledge import load_knowledge
    >>> from engine.loader import load_student_file
    >>> kb = load_knowledge(Path("."))
    >>> student = load_student_file(Path("samples/students/tx-junior-on-track.json"))
    >>> result = plan(knowledge=kb, student=student, goals=["tx-fhsp"])
    >>> result.status, result.added_credits
    ('optimal', 0.0)
    """
    cons = constraints or PlanConstraints()
    year = entering_year(student)
    catalog = knowledge.catalog_for(student.jurisdiction, year)
    wanted = list(dict.fromkeys(goals if goals is not None else student.goals))
    sets = _reachable(knowledge, wanted, year, student.cohort, catalog)
    resolved, _ = resolve_transcript(student, knowledge.index(catalog))
    # In the rows' canonical order (``GradedRow.rank``), not the order they were sent in: the
    # solver breaks ties between equally good plans by the order it meets the rows, and the same
    # transcript, sorted another way, must get the same plan (as it gets the same audit).
    graded = {
        sid: sorted(grade_rows(resolved, cset.grading, catalog.grading), key=_canonical)
        for sid, cset in sets.items()
    }
    passed = sorted(grade_rows(resolved, Grading(), catalog.grading), key=_canonical)
    defaults = catalog.planning or PlanningDefaults()
    max_courses = cons.max_courses_per_term
    max_credits = cons.max_credits_per_term
    if max_courses is None and max_credits is None:
        max_courses = defaults.max_courses_per_term
        max_credits = defaults.max_credits_per_term
        if max_courses is None and max_credits is None:
            max_courses = DEFAULT_MAX_COURSES
    summer = cons.allow_summer
    if summer is None:
        summer = defaults.summer
    calendar = build_calendar(student, catalog, last_grade=cons.last_grade, summer=summer)
    courses = {c.id: c for c in catalog.courses}
    unknown = [(n, lock.course) for n, lock in enumerate(cons.lock) if lock.course not in courses]
    if unknown:
        raise StudentDataError(
            [
                FieldProblem(
                    ("lock", n, "course"), f"course {c!r} is not in catalog {catalog.id}", "value"
                )
                for n, c in unknown
            ],
            source=CONSTRAINTS,
        )
    prefer = (cons.prefer_subjects, cons.prefer_attributes)
    locks: list[tuple[str, int | None, str | None]] = [
        (lock.course, lock.grade_level, lock.term) for lock in cons.lock
    ]
    cands = find_candidates(
        catalog=catalog,
        csets=list(sets.values()),
        calendar=calendar,
        rows=passed,
        locked=[c for c, _, _ in locks],
        excluded=cons.exclude,
        prefer=prefer,
    )
    problem = Problem(
        calendar=calendar,
        candidates=cands.courses,
        goals=wanted,
        sets=sets,
        graded=graded,
        passed=passed,
        experiences=student.experiences,
        max_courses=max_courses,
        max_credits=max_credits,
        locks=locks,
        excluded=cons.exclude,
        preference={c.id: preference_score(c, *prefer) for c in cands.courses},
        summer_allowed=summer,
    )
    base: dict[str, Any] = {
        "student": student.id,
        "goals": tuple(wanted),
        "calendar": calendar.describe() if calendar.periods else "no terms left",
    }

    def infeasible(wall: float, budget: float) -> PlanResult:
        return _infeasible(
            problem,
            cons,
            catalog,
            calendar,
            passed,
            sets,
            locks,
            wall,
            base,
            len(cands.courses),
            budget,
        )

    # A locked course that is not a candidate although the transcript does not already have it
    # fits no term left (its grade levels or terms offered): no plan can hold the lock, and the
    # model, which knows only candidates, would otherwise drop it without a word.
    kept = {c.id for c in cands.courses}
    have = {r.course.id for r in passed if r.credited}
    if any(cid not in kept and cid not in have for cid, _, _ in locks):
        return infeasible(0.0, cons.time_limit)
    wall = 0.0
    # One solver budget for the whole plan: a plan the audit refuses is solved again from what
    # is left, and explaining an infeasible one gets the rest, so ``time_limit`` bounds the
    # plan, not each of up to four solves and the conflict search after them.
    left = cons.time_limit
    solution: Solution | None = None
    checked: AuditResult | None = None
    everything: AuditResult | None = None
    for _ in range(MAX_AUDIT_RETRIES + 1):
        if solution is not None and left <= 0:
            break  # the budget went on plans the audit refused
        solution = solve_plan(problem, left, _restated(sets, wanted))
        wall += solution.wall
        left -= solution.dtime
        if solution.status not in ("optimal", "feasible"):
            break
        # Every set the goals reach is audited, so a course also says which endorsement
        # requirement it serves when a goal asks for "any endorsement"; the result keeps the
        # student's own goals.
        everything = _check(knowledge, student, list(sets), solution)
        checked = everything.model_copy(
            update={"goals": tuple(g for g in everything.goals if g.goal in wanted)}
        )
        if all(g.status != "unmet" for g in checked.goals):
            break
        problem.forbidden.append(frozenset(cid for cid, _ in solution.placed))
        checked = None
    assert solution is not None
    if solution.status == "infeasible" and not problem.forbidden:
        # (Infeasible only once refused plans were ruled out is no proof that no plan exists:
        # the audit refused the only ones the solver could see, reported below.)
        return infeasible(wall, left)
    if checked is None:
        if solution.status == "unknown":
            why = "No plan found: the solver stopped at its time limit before finding one."
        elif left <= 0:
            why = (
                "No plan found that the audit accepts before the time limit; a longer "
                "time limit may find one."
            )
        else:
            why = (
                "No plan found that the audit accepts; this is a planner limitation "
                "for these rules (please report it)."
            )
        return PlanResult(
            status="unknown",
            message=why,
            solver=SolverStats(seconds=wall, candidates=len(cands.courses), proven_optimal=False),
            **base,
        )
    assert everything is not None
    return _result(
        solution,
        checked,
        services_by_row(everything),
        student,
        sets,
        courses,
        cands.groups,
        cons,
        calendar,
        wall,
        len(cands.courses),
        base,
    )


def _check(
    knowledge: Knowledge, student: Student, goals: Sequence[str], solution: Solution
) -> AuditResult:
    """The audit of transcript + plan (+ milestones as planned experiences): the oracle."""
    experiences = list(student.experiences)
    for _, leaf in solution.milestones:
        experiences.append(_milestone_experience(leaf, experiences))
    planned = student.model_copy(
        update={
            "transcript": (*student.transcript, *plan_rows(solution.placed)),
            "experiences": tuple(experiences),
        }
    )
    return audit(knowledge=knowledge, student=planned, goals=goals)


def _terms(
    calendar: Calendar,
    student: Student,
    placed: Sequence[tuple[str, Placement]],
    courses: dict[str, Course],
    names: Mapping[int, str],
) -> list[TermPlan]:
    """Each period's planned courses and the rows already scheduled in it (by catalog id where
    the row resolved to a course, so a row given by SCED code reads as the course it is)."""
    out: list[TermPlan] = []
    for i, period in enumerate(calendar.periods):
        here = [(cid, pl) for cid, pl in placed if i in pl.periods]
        existing: list[str] = []
        for index, row in enumerate(student.transcript):
            if row.status == "completed":
                continue
            start, end = row_span(row.grade_level, row.term)
            if start <= period.times[0] <= end or start <= period.times[-1] <= end:
                existing.append(names.get(index) or row.course or row.sced or "?")
        credits = sum(courses[cid].credits / len(pl.periods) for cid, pl in here)
        out.append(
            TermPlan(
                grade_level=period.grade,
                term=period.term,
                planned=tuple(cid for cid, _ in here),
                existing=tuple(existing),
                credits=round(credits, 4),
            )
        )
    return out


def _result(
    solution: Solution,
    checked: AuditResult,
    services: Mapping[int, list[Service]],
    student: Student,
    sets: dict[str, CompiledSet],
    courses: dict[str, Course],
    groups: Mapping[str, tuple[str, ...]],
    cons: PlanConstraints,
    calendar: Calendar,
    wall: float,
    ncands: int,
    base: dict[str, Any],
) -> PlanResult:
    offset = len(student.transcript)
    planned_ids = [cid for cid, _ in solution.placed]
    planned_courses = [courses[c] for c in planned_ids]
    titles = {sid: cset.title for sid, cset in sets.items()}
    locked = {lock.course for lock in cons.lock}
    group_of = groups
    out_courses: list[PlannedCourse] = []
    for k, (cid, pl) in enumerate(solution.placed):
        course = courses[cid]
        serves = services.get(offset + k, [])
        out_courses.append(
            PlannedCourse(
                course=cid,
                title=course.title,
                credits=course.credits,
                grade_level=pl.grade,
                term=pl.term,
                serves=tuple(serves),
                alternatives=alternatives_for(cid, group_of.get(cid, (cid,)), planned_ids, courses),
                locked=cid in locked,
                reason=reason_text(course, serves, titles, planned_courses, cid in locked),
            )
        )
    experiences = list(student.experiences)
    milestones = []
    for goal, leaf in solution.milestones:
        exp = _milestone_experience(leaf, experiences)
        experiences.append(exp)
        milestones.append(_milestone(goal, leaf, exp))
    credits = round(sum(c.credits for c in planned_courses), 4)
    last_period = -1
    for _, pl in solution.placed:
        last_period = max(last_period, *pl.periods)
    for row in student.transcript:
        if row.status != "completed":
            end = row_span(row.grade_level, row.term)[1]
            for i, period in enumerate(calendar.periods):
                if period.times[-1] <= end:
                    last_period = max(last_period, i)
    completes = None
    if solution.placed:
        last = max(max(pl.periods) for _, pl in solution.placed)
        period = calendar.periods[last]
        completes = period_name(period.grade, period.term)
    optimal = solution.status == "optimal"
    lower = credits if optimal else min(solution.credits_bound, credits)
    count = len(planned_courses)
    if count:
        message = (
            f"{'Optimal' if optimal else 'Best found'} plan: {credits:g} credits in {count} "
            f"course{'s' if count != 1 else ''}, the last in {completes}."
        )
    else:
        message = "No courses to add: the transcript already meets or is on track for every goal."
    if milestones:
        message += " Also needed: " + "; ".join(m.text for m in milestones) + "."
    if not optimal:
        message += (
            f" The solver stopped at its time limit; no plan adds fewer than {lower:g} credits."
        )
    names = {r.index: r.course for goal in checked.goals for r in goal.rows}
    terms = _terms(calendar, student, solution.placed, courses, names)
    # Terms left to graduation: the periods up to the last one used, where an empty summer is
    # not a term the student has to attend.
    remaining = sum(
        1
        for term in terms[: last_period + 1]
        if term.term != "summer" or term.planned or term.existing
    )
    return PlanResult(
        status="optimal" if optimal else "feasible",
        message=message,
        courses=tuple(out_courses),
        terms=tuple(terms),
        milestones=tuple(milestones),
        added_credits=credits,
        added_courses=count,
        completes=completes,
        terms_to_graduation=remaining,
        credits_lower_bound=lower,
        audit=checked,
        solver=SolverStats(seconds=round(wall, 4), candidates=ncands, proven_optimal=optimal),
        **base,
    )


def _infeasible(
    problem: Problem,
    cons: PlanConstraints,
    catalog: Catalog,
    calendar: Calendar,
    passed: list[GradedRow],
    sets: dict[str, CompiledSet],
    locks: list[tuple[str, int | None, str | None]],
    wall: float,
    base: dict[str, Any],
    ncands: int,
    budget: float,
) -> PlanResult:
    """The infeasible plan, its conflicts searched for within ``budget`` (what is left)."""
    relaxed_calendar = build_calendar_relaxed(problem, catalog, cons)
    relaxed_cands = find_candidates(
        catalog=catalog,
        csets=list(sets.values()),
        calendar=relaxed_calendar,
        rows=passed,
        locked=[c for c, _, _ in locks],
        excluded=(),
        prefer=(cons.prefer_subjects, cons.prefer_attributes),
        offered_only=False,
    )
    relaxed = replace(problem, calendar=relaxed_calendar, candidates=relaxed_cands.courses)
    # A lock of a course the transcript lacks that not even the relaxed calendar can place (no
    # term is left at all) is a conflict on its own, one the relaxed model cannot express.
    have = {r.course.id for r in passed if r.credited}
    kept = {c.id for c in relaxed_cands.courses}
    core: list[GroupKey] = [
        ("lock", cid)
        for cid in dict.fromkeys(c for c, _, _ in locks)
        if cid not in kept and cid not in have
    ]
    if not core:
        core = minimal_conflict(relaxed, budget)
    courses = {c.id: c for c in catalog.courses}
    conflicts = explain_infeasible(
        core,
        courses=courses,
        sets=sets,
        calendar=calendar,
        passed=passed,
        max_courses=problem.max_courses,
        max_credits=problem.max_credits,
        locks={c: [(g, t) for c2, g, t in locks if c2 == c] for c, _, _ in locks},
    )
    left = calendar.describe() if calendar.periods else "no terms are left"
    if conflicts:
        message = "No plan exists: " + "; ".join(c.text for c in conflicts) + f". ({left}.)"
    else:
        message = f"No plan exists in the terms left ({left})."
    return PlanResult(
        status="infeasible",
        message=message,
        conflicts=tuple(conflicts),
        solver=SolverStats(seconds=round(wall, 4), candidates=ncands, proven_optimal=True),
        **base,
    )


def build_calendar_relaxed(problem: Problem, catalog: Catalog, cons: PlanConstraints) -> Calendar:
    """The calendar with summers in it, so "summer is not allowed" can be relaxed too."""
    cal = problem.calendar
    if cal.summer:
        return cal
    periods: list[Period] = []
    for period in cal.periods:
        periods.append(period)
        if period.term in ("spring", "year") and period.grade < cal.last_grade:
            periods.append(Period(period.grade, "summer", (period.grade * 3 + 2,)))
    return Calendar(tuple(periods), cal.semesters, cal.start, cal.last_grade, True)
