"""High-leverage courses: the next courses that keep the most of a student's top careers open.

A course *counts* for a career when it can serve one of the career's requirements the student
has not met yet, or is a prerequisite (at any depth, on the course graph) of a course that
can. The requirements read are the career's own (recommended coursework, the Perkins
concentrator) and, where its route goes through an admission set (UC or CSU a-g in
California), that set's unmet requirements; a state diploma every career shares is left out,
since it would count the same for all of them.

Candidates are courses the student has not taken or scheduled (a course only failed is offered
again: the audit still needs it), offered in the student's next grade level (grade 9 as well
for a 6th or 7th grader), whose prerequisites the transcript meets, counting in-progress and
planned rows as passed. They are ranked by how many of the top careers they count for, then by
the sum of those careers' scores, then by course id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from engine.knowledge import Knowledge, entering_year
from engine.model import Catalog, Course
from engine.normalize import GradedRow
from engine.planning.terms import build_calendar
from engine.recommend.readiness import ROUTE, CareerAudits, unmet_leaves
from engine.recommend.results import CareerFit, LeverageCourse
from engine.results import RequirementResult
from engine.student import Student

__all__ = ["has_term_left", "leverage_courses", "next_grade_levels"]

_PASSED_PENDING = "A"  # an in-progress or planned prerequisite is assumed passed


def next_grade_levels(grade_level: int) -> frozenset[int]:
    """The grade levels whose courses are "next" for a student now in ``grade_level``."""
    levels = {min(grade_level + 1, 12)}
    if grade_level < 8:
        levels.add(9)  # a middle-schooler's high-school start
    return frozenset(levels)


def _career_leaves(
    knowledge: Knowledge, student: Student, fit: CareerFit, audits: CareerAudits
) -> list[tuple[str, frozenset[str]]]:
    """The career's unmet course leaves, and its admission route sets' when the route is unmet."""
    standing = audits.careers[fit.goal]
    leaves = list(standing.unmet)
    year = entering_year(student)
    route = next((r for r in standing.requirements if r.name == ROUTE), None)
    if route is not None and route.status == "unmet":
        for set_id in audits.route_sets.get(fit.goal, ()):
            result = audits.routes.get(set_id)
            rset = knowledge.ruleset(set_id, year, cohort=student.cohort)
            if result is None or rset.kind != "admission":
                continue
            cset = knowledge.compiled(rset, audits.catalog)
            found = unmet_leaves(cset, _tree_statuses(result.requirements))
            leaves.extend((f"{set_id}: {title}", eligible) for title, eligible in found)
    return leaves


def _tree_statuses(results: Iterable[RequirementResult]) -> dict[str, str]:
    out: dict[str, str] = {}
    for result in results:
        out[result.path] = result.status
        out.update(_tree_statuses(result.children))
    return out


def _passed(rows: Iterable[GradedRow]) -> dict[str, str]:
    passed: dict[str, str] = {}
    for row in rows:
        if row.status == "completed" and row.use == "credit" and row.letter is not None:
            passed[row.course.id] = row.letter
        elif row.status != "completed":
            passed.setdefault(row.course.id, _PASSED_PENDING)
    return passed


def _reason(
    course: str,
    reach: set[str],
    leaves: Sequence[tuple[str, frozenset[str]]],
    courses: Mapping[str, Course],
) -> str | None:
    """Why ``course`` counts for a career: a requirement it serves, else one it leads to."""
    for title, eligible in leaves:
        if course in eligible:
            return title
    for title, eligible in leaves:
        via = sorted(eligible & reach)
        if via:
            names = ", ".join(courses[v].title for v in via[:3])
            more = f" and {len(via) - 3} more" if len(via) > 3 else ""
            return f"prerequisite of {names}{more} for {title}"
    return None


def has_term_left(student: Student, catalog: Catalog) -> bool:
    """Whether a term is left before graduation to take a next course in (as the planner's
    calendar counts them: after every completed and in-progress row)."""
    return bool(build_calendar(student, catalog, last_grade=12, summer=False).periods)


def leverage_courses(
    knowledge: Knowledge,
    student: Student,
    audits: CareerAudits,
    top: Sequence[CareerFit],
    limit: int = 10,
) -> tuple[LeverageCourse, ...]:
    """The next courses ranked by how many of the ``top`` careers they keep open (the caller
    asks only when :func:`has_term_left`)."""
    if not top:
        return ()
    graph = knowledge.graphs[audits.catalog.id]
    # A course only failed is not taken: the audit still needs it, so retaking it can lead on.
    taken = {row.course.id for row in audits.graded if row.use != "failed"}
    passed = _passed(audits.graded)
    levels = next_grade_levels(student.grade_level)
    candidates: list[Course] = [
        c
        for c in graph.courses.values()
        if c.id not in taken
        and levels & set(c.grade_levels)
        and graph.prerequisites_met(c.id, passed)
    ]
    per_career = {fit.career: _career_leaves(knowledge, student, fit, audits) for fit in top}
    scores: Mapping[str, float] = {fit.career: fit.score for fit in top}
    ranked: list[tuple[int, float, str, LeverageCourse]] = []
    for course in candidates:
        reach = {course.id, *graph.leads_to(course.id)} - taken
        opens: list[str] = []
        reasons: list[str] = []
        for fit in top:
            reason = _reason(course.id, reach, per_career[fit.career], graph.courses)
            if reason is not None:
                opens.append(fit.career)
                reasons.append(f"{fit.career}: {reason}")
        if not opens:
            continue
        total = round(sum(scores[c] for c in opens), 6)
        item = LeverageCourse(
            course=course.id,
            title=course.title,
            subject=course.subject,
            credits=course.credits,
            opens=tuple(opens),
            count=len(opens),
            of=len(top),
            reasons=tuple(reasons),
        )
        ranked.append((-len(opens), -total, course.id, item))
    ranked.sort(key=lambda t: t[:3])
    return tuple(item for *_, item in ranked[:limit])
