"""Academic readiness: how much of each career's requirements the transcript already covers.

Measured by the audit itself, never re-derived: every career goal is audited for the student
in one :func:`~engine.audit.audit` call, which audits each route set (the state diploma, UC
or CSU admission) once and shares its verdict with every career whose route names it. So the
cost is one audit of the route sets plus one small audit per career (its coursework, its
Perkins concentrator, and the route's already-known status), not a diploma audit per career.

Readiness is the mean, over a career's top-level requirements, of the share each one has
covered (completed, in-progress and planned rows, as the audit reads them): 1 when the audit
says met or in progress. No full plan is made per career: the credits a plan would add are
estimated from the audit's unmet amounts (credits as they stand; a missing course of a
concentrator counts as 1 credit), and the route's own gap is reported apart, since every
career through the same diploma shares it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engine.audit import audit
from engine.careers import CareerEntry
from engine.knowledge import Knowledge, entering_year
from engine.model import Catalog
from engine.recommend.results import Evidence, RequirementGap
from engine.results import AuditResult, GoalResult, RequirementResult, Status
from engine.student import Student

__all__ = [
    "CREDITS_PER_COURSE",
    "CareerAudits",
    "Readiness",
    "audit_careers",
    "goal_fraction",
    "goal_gaps",
    "readiness",
    "requirement_fraction",
    "requirement_gap",
]

#: A course named by a count requirement (a concentrator's 2 courses) is taken as 1 credit.
CREDITS_PER_COURSE = 1.0
_ON_TRACK: frozenset[str] = frozenset({"met", "in_progress"})


@dataclass(frozen=True)
class CareerAudits:
    """One audit of every career goal and of each route set they name, for one student."""

    result: AuditResult
    goals: Mapping[str, GoalResult]
    catalog: Catalog
    route_sets: Mapping[str, tuple[str, ...]]  # career goal -> rule sets its route names


def audit_careers(
    knowledge: Knowledge, student: Student, entries: Sequence[CareerEntry]
) -> CareerAudits:
    """Audit the route sets once and every career goal against them, in one pass."""
    year = entering_year(student)
    catalog = knowledge.catalog_for(student.jurisdiction, year)
    routes = {
        e.goal: knowledge.compiled(knowledge.ruleset(e.goal, year), catalog).goals for e in entries
    }
    route_ids = sorted({goal for ids in routes.values() for goal in ids})
    goals = [*route_ids, *(e.goal for e in entries)]
    result = audit(knowledge=knowledge, student=student, goals=goals)
    by_goal = {g.goal: g for g in result.goals}
    return CareerAudits(result, by_goal, catalog, routes)


def _covered(req: RequirementResult) -> tuple[float, float, float]:
    """(needed, covered, earned) in the requirement's unit; (1, 1 or 0, ...) without amounts."""
    progress = req.progress
    if progress is None or progress.needed <= 0:
        done = 1.0 if req.status in _ON_TRACK else 0.0
        return 1.0, done, 1.0 if req.status == "met" else 0.0
    covered = progress.earned + progress.in_progress + progress.planned
    return progress.needed, covered, progress.earned


def requirement_fraction(req: RequirementResult) -> float:
    """The share of a requirement covered: 1 when met or in progress, below 1 otherwise."""
    if req.status in _ON_TRACK:
        return 1.0
    needed, covered, _ = _covered(req)
    return min(0.99, max(0.0, covered / needed))


def _to_add(req: RequirementResult) -> float:
    """Estimated credits to close ``req``: its unmet amount, else from its parts.

    An ``all`` group needs every unmet part (their sum); any other group needs one way
    through (the cheapest unmet part). Units other than credits and courses (a GPA, an exam
    score, a goal) add no credits.
    """
    if req.status in _ON_TRACK:
        return 0.0
    progress = req.progress
    if progress is not None and progress.unit in ("credits", "courses") and progress.needed > 0:
        covered = progress.earned + progress.in_progress + progress.planned
        missing = max(0.0, progress.needed - covered)
        return missing if progress.unit == "credits" else missing * CREDITS_PER_COURSE
    parts = [_to_add(child) for child in req.children if child.status not in _ON_TRACK]
    if not parts:
        return 0.0
    return sum(parts) if req.operator == "all" else min(parts)


def requirement_gap(goal: str, req: RequirementResult) -> RequirementGap:
    """Where the student stands on one top-level requirement, with a credit estimate."""
    needed, covered, earned = _covered(req)
    unit = req.progress.unit if req.progress is not None else "items"
    return RequirementGap(
        goal=goal,
        requirement=req.name or req.path,
        title=req.title,
        status=req.status,
        unit=unit,
        needed=needed,
        covered=covered if unit == "gpa" else min(covered, needed),
        earned=earned,
        credits_to_add=round(_to_add(req), 2),
        reason=req.reason,
    )


def goal_fraction(result: GoalResult) -> float:
    """The mean covered share of a goal's top-level requirements (1 when the goal is on track)."""
    if result.status in _ON_TRACK or not result.requirements:
        return 1.0 if result.status in _ON_TRACK else 0.0
    shares = [requirement_fraction(r) for r in result.requirements]
    return min(0.99, sum(shares) / len(shares))


def goal_gaps(result: GoalResult) -> tuple[RequirementGap, ...]:
    """The goal's top-level requirements that are not met or in progress."""
    return tuple(
        requirement_gap(result.goal, r) for r in result.requirements if r.status == "unmet"
    )


@dataclass(frozen=True)
class Readiness:
    """A career's readiness part and the facts behind it."""

    score: float
    status: Status
    met: int
    total: int
    credits_to_add: float
    gaps: tuple[RequirementGap, ...]
    evidence: tuple[Evidence, ...]


def _route_share(req: RequirementResult, sets: Sequence[str], audits: CareerAudits) -> float:
    """A route requirement's share: on track -> 1, else the best route set's covered share."""
    if req.status in _ON_TRACK:
        return 1.0
    shares = [goal_fraction(audits.goals[s]) for s in sets if s in audits.goals]
    return max(shares, default=0.0)


def readiness(entry: CareerEntry, audits: CareerAudits) -> Readiness:
    """The readiness of one career, read from the batched audit."""
    result = audits.goals[entry.goal]
    sets = audits.route_sets.get(entry.goal, ())
    shares: list[float] = []
    evidence: list[Evidence] = []
    gaps: list[RequirementGap] = []
    for req in result.requirements:
        gap = requirement_gap(entry.goal, req)
        is_route = req.operator == "goal"
        share = _route_share(req, sets, audits) if is_route else requirement_fraction(req)
        shares.append(share)
        if is_route:
            statuses = ", ".join(f"{s} {audits.goals[s].status}" for s in sets if s in audits.goals)
            detail = f"route: {statuses or req.status}"
        elif gap.unit in ("credits", "courses"):
            detail = f"{gap.covered:g} of {gap.needed:g} {gap.unit} ({gap.earned:g} completed)"
        else:
            detail = req.status
        evidence.append(
            Evidence(
                label=req.name or req.path,
                value=round(share, 4),
                detail=f"{req.title}: {detail}",
                source=f"audit of {entry.goal}" + (f" and {', '.join(sets)}" if is_route else ""),
            )
        )
        if req.status == "unmet":
            gaps.append(gap if not is_route else gap.model_copy(update={"credits_to_add": 0.0}))
    met = sum(1 for r in result.requirements if r.status in _ON_TRACK)
    score = sum(shares) / len(shares) if shares else 1.0
    to_add = sum(g.credits_to_add for g in gaps)
    return Readiness(
        score=score,
        status=result.status,
        met=met,
        total=len(result.requirements),
        credits_to_add=round(to_add, 2),
        gaps=tuple(gaps),
        evidence=tuple(evidence),
    )
