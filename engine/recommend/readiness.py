"""Academic readiness: how much of each career's requirements the transcript already covers.

Measured by the audit's own evaluator, never re-derived. The route sets the careers name (the
state diploma, UC or CSU admission) are audited once per student with
:func:`~engine.audit.audit`; the transcript is resolved and graded once; then each career's
compiled set is judged by :func:`~engine.evaluate.evaluate_set` against those rows and the
route sets' statuses - the very call the audit makes, without re-grading the transcript or
building the explained result tree for 115 careers. (A career set with state policies would
go through :func:`~engine.audit.audit_goal`; the bundled ones have none.) A test checks the
figures equal a full audit of every career goal.

Readiness is the mean, over a career's top-level requirements, of the share each one has
covered (completed, in-progress and planned rows, as the audit counts them): 1 when the
evaluator says met or in progress, at most 0.99 otherwise. No plan is made per career: the
credits a plan would add are estimated from the unmet amounts (credits as they stand; a
missing course of a concentrator counts as 1 credit; an ``all`` group adds its parts, any
other group its cheapest part), and the route's own gap is reported apart, since every career
through the same diploma shares it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from engine.audit import audit, audit_goal
from engine.careers import CareerEntry
from engine.evaluate import Evaluation, evaluate_set
from engine.knowledge import Knowledge, entering_year
from engine.model import Catalog, Grading
from engine.normalize import GradedRow, grade_rows, resolve_transcript
from engine.policy import policies_for
from engine.recommend.results import Evidence, RequirementGap
from engine.requirements import CompiledSet, CountLeaf, CreditLeaf, Group, Node
from engine.results import GoalResult, RequirementResult, Status
from engine.student import Student

__all__ = [
    "CREDITS_PER_COURSE",
    "ROUTE",
    "CareerAudits",
    "CareerStanding",
    "Readiness",
    "Standing",
    "evaluate_careers",
    "goal_fraction",
    "goal_gaps",
    "readiness",
    "requirement_gap",
    "unmet_leaves",
]

#: The name the career book gives a career set's route requirement (a ``goal``, or an ``any``
#: over several routes' goals).
ROUTE = "route"
#: A course named by a count requirement (a concentrator's 2 courses) is taken as 1 credit.
CREDITS_PER_COURSE = 1.0
_ON_TRACK: frozenset[str] = frozenset({"met", "in_progress"})
Leaves = tuple[tuple[str, frozenset[str]], ...]


@dataclass(frozen=True)
class Standing:
    """Where the student stands on one top-level requirement (amounts as the audit has them)."""

    name: str
    title: str
    operator: str
    status: Status
    unit: str | None
    needed: float
    earned: float
    in_progress: float
    planned: float
    to_add: float  # estimated credits still to take

    @property
    def covered(self) -> float:
        return self.earned + self.in_progress + self.planned

    @property
    def share(self) -> float:
        """1 when on track, else the covered share of the need (at most 0.99)."""
        if self.status in _ON_TRACK:
            return 1.0
        if self.unit is None or self.needed <= 0:
            return 0.0
        return min(0.99, max(0.0, self.covered / self.needed))

    def detail(self) -> str:
        if self.unit in ("credits", "courses"):
            covered = min(self.covered, self.needed)
            return f"{covered:g} of {self.needed:g} {self.unit} ({self.earned:g} completed)"
        return self.status.replace("_", " ")


def _missing(status: str, unit: str | None, needed: float, covered: float) -> float | None:
    """Credits an amount still lacks, or None when the node has no credit or course amount."""
    if unit not in ("credits", "courses") or needed <= 0:
        return None
    if status in _ON_TRACK:
        return 0.0
    missing = max(0.0, needed - covered)
    return missing if unit == "credits" else missing * CREDITS_PER_COURSE


def _combine(op: str, parts: list[float]) -> float:
    if not parts:
        return 0.0
    return sum(parts) if op == "all" else min(parts)


def _to_add_result(req: RequirementResult) -> float:
    p = req.progress
    found = (
        _missing(req.status, p.unit, p.needed, p.earned + p.in_progress + p.planned)
        if p is not None
        else None
    )
    if found is not None or req.status in _ON_TRACK:
        return found or 0.0
    parts = [_to_add_result(c) for c in req.children if c.status not in _ON_TRACK]
    return _combine(req.operator, parts)


def _to_add_node(node: Node, evaluation: Evaluation) -> float:
    o = evaluation.outcomes[id(node)]
    found = _missing(o.status, o.unit, o.needed, o.earned + o.in_progress + o.planned)
    if found is not None or o.status in _ON_TRACK:
        return found or 0.0
    if not isinstance(node, Group):
        return 0.0
    parts = [
        _to_add_node(child, evaluation)
        for child in node.children
        if evaluation.outcomes[id(child)].status not in _ON_TRACK
    ]
    return _combine(node.op, parts)


def standing_of_result(req: RequirementResult) -> Standing:
    """A top-level requirement's standing read from an audit result."""
    p = req.progress
    return Standing(
        name=req.name or req.path,
        title=req.title,
        operator=req.operator,
        status=req.status,
        unit=p.unit if p is not None else None,
        needed=p.needed if p is not None else 0.0,
        earned=p.earned if p is not None else 0.0,
        in_progress=p.in_progress if p is not None else 0.0,
        planned=p.planned if p is not None else 0.0,
        to_add=round(_to_add_result(req), 2),
    )


def _standing_of_node(name: str, node: Node, evaluation: Evaluation) -> Standing:
    o = evaluation.outcomes[id(node)]
    status: Status = (
        "met" if o.status == "met" else ("in_progress" if o.status == "in_progress" else "unmet")
    )
    return Standing(
        name=name,
        title=node.title,
        operator=node.op,
        status=status,
        unit=o.unit,
        needed=o.needed if o.unit is not None else 0.0,
        earned=round(o.earned, 4) if o.unit is not None else 0.0,
        in_progress=round(o.in_progress, 4) if o.unit is not None else 0.0,
        planned=round(o.planned, 4) if o.unit is not None else 0.0,
        to_add=round(_to_add_node(node, evaluation), 2),
    )


def _tree_statuses(results: Iterable[RequirementResult]) -> dict[str, str]:
    out: dict[str, str] = {}
    for result in results:
        out[result.path] = result.status
        out.update(_tree_statuses(result.children))
    return out


def _top(path: str) -> str:
    return " > ".join(path.split(" > ")[:2])


def unmet_leaves(cset: CompiledSet, status: Mapping[str, str]) -> Leaves:
    """(title, eligible courses) of each course leaf of ``cset`` unmet under an unmet top level.

    ``status`` maps node paths to statuses (an audit's result tree, or an evaluation's).
    """
    out: list[tuple[str, frozenset[str]]] = []
    for leaf in cset.leaves:
        if not isinstance(leaf, CreditLeaf | CountLeaf):
            continue
        if status.get(leaf.path, "unmet") == "unmet" and status.get(_top(leaf.path)) == "unmet":
            out.append((leaf.title, leaf.eligible))
    return tuple(out)


@dataclass(frozen=True)
class CareerStanding:
    """A career goal judged for one student: its status, requirements and unmet course leaves."""

    goal: str
    status: Status
    requirements: tuple[Standing, ...]
    unmet: Leaves


@dataclass(frozen=True)
class CareerAudits:
    """Every career judged for one student, and the route sets they share, audited once."""

    catalog: Catalog
    graded: tuple[GradedRow, ...]  # the transcript as career sets read it
    routes: Mapping[str, GoalResult]  # route set id -> its audit
    route_sets: Mapping[str, tuple[str, ...]]  # career goal -> route sets it names
    careers: Mapping[str, CareerStanding]


def _evaluated(cset: CompiledSet, evaluation: Evaluation) -> CareerStanding:
    tops = [(name, node) for name, node in cset.requirements.items()]
    requirements = tuple(_standing_of_node(name, node, evaluation) for name, node in tops)
    status: Status = (
        "met"
        if evaluation.status == "met"
        else "in_progress"
        if evaluation.status == "in_progress"
        else "unmet"
    )
    statuses = {n.path: evaluation.outcomes[id(n)].status for n in cset.leaves}
    statuses.update({node.path: s.status for (_, node), s in zip(tops, requirements, strict=True)})
    return CareerStanding(cset.id, status, requirements, unmet_leaves(cset, statuses))


def _audited(cset: CompiledSet, result: GoalResult) -> CareerStanding:
    requirements = tuple(standing_of_result(r) for r in result.requirements)
    leaves = unmet_leaves(cset, _tree_statuses(result.requirements))
    return CareerStanding(result.goal, result.status, requirements, leaves)


def evaluate_careers(
    knowledge: Knowledge, student: Student, entries: Sequence[CareerEntry]
) -> CareerAudits:
    """Judge every career in ``entries`` for ``student``; the route sets are audited once."""
    year = entering_year(student)
    catalog = knowledge.catalog_for(student.jurisdiction, year)
    cohort = student.cohort
    csets = {
        e.goal: knowledge.compiled(knowledge.ruleset(e.goal, year, cohort=cohort), catalog)
        for e in entries
    }
    route_sets = {goal: cset.goals for goal, cset in csets.items()}
    route_ids = sorted({g for ids in route_sets.values() for g in ids})
    routes: dict[str, GoalResult] = {}
    if route_ids:
        routes = {
            g.goal: g for g in audit(knowledge=knowledge, student=student, goals=route_ids).goals
        }
    statuses = {goal: result.status for goal, result in routes.items()}
    resolved, _ = resolve_transcript(student, knowledge.index(catalog))
    graded_by: list[tuple[Grading, list[GradedRow]]] = []

    def graded_for(cset: CompiledSet) -> list[GradedRow]:
        for grading, rows in graded_by:
            if grading == cset.grading:
                return rows
        rows = grade_rows(resolved, cset.grading, catalog.grading)
        graded_by.append((cset.grading, rows))
        return rows

    careers: dict[str, CareerStanding] = {}
    for entry in entries:
        cset = csets[entry.goal]
        rset = knowledge.ruleset(entry.goal, year, cohort=cohort)
        policies = policies_for(rset, catalog)
        if policies is not None:  # state policies change allocations: the full audit path
            result = audit_goal(cset, resolved, student, statuses, policies)
            careers[entry.goal] = _audited(cset, result)
            continue
        evaluation = evaluate_set(cset, graded_for(cset), student.experiences, statuses)
        careers[entry.goal] = _evaluated(cset, evaluation)
    graded = tuple(graded_for(next(iter(csets.values())))) if csets else ()
    if not csets:
        graded = tuple(grade_rows(resolved, Grading(), catalog.grading))
    return CareerAudits(catalog, graded, routes, route_sets, careers)


def requirement_gap(goal: str, req: RequirementResult) -> RequirementGap:
    """An audited top-level requirement as a gap, with the audit's reason."""
    return _gap(goal, standing_of_result(req), req.reason)


def _gap(goal: str, s: Standing, reason: str) -> RequirementGap:
    return RequirementGap(
        goal=goal,
        requirement=s.name,
        title=s.title,
        status=s.status,
        unit=s.unit or "items",
        needed=s.needed if s.unit is not None else 1.0,
        covered=s.covered if s.unit == "gpa" else min(s.covered, s.needed),
        earned=s.earned,
        credits_to_add=s.to_add,
        reason=reason,
    )


def goal_fraction(result: GoalResult) -> float:
    """The mean covered share of a goal's top-level requirements (1 when the goal is on track)."""
    if result.status in _ON_TRACK:
        return 1.0
    shares = [standing_of_result(r).share for r in result.requirements]
    return min(0.99, sum(shares) / len(shares)) if shares else 0.0


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


def readiness(entry: CareerEntry, audits: CareerAudits) -> Readiness:
    """The readiness of one career, read from :func:`evaluate_careers`."""
    standing = audits.careers[entry.goal]
    sets = [s for s in audits.route_sets.get(entry.goal, ()) if s in audits.routes]
    shares: list[float] = []
    evidence: list[Evidence] = []
    gaps: list[RequirementGap] = []
    for req in standing.requirements:
        if req.name == ROUTE:
            on_track = req.status in _ON_TRACK
            share = (
                1.0
                if on_track
                else max((goal_fraction(audits.routes[s]) for s in sets), default=0.0)
            )
            statuses = ", ".join(f"{s} {audits.routes[s].status.replace('_', ' ')}" for s in sets)
            detail, source = f"route: {statuses or req.status}", f"audit of {', '.join(sets)}"
            reason = f"The route's high-school goal is not met yet ({statuses})."
            gap = _gap(entry.goal, req, reason)
            gap = gap.model_copy(update={"credits_to_add": 0.0})
        else:
            share, detail, source = req.share, req.detail(), f"evaluation of {entry.goal}"
            gap = _gap(entry.goal, req, f"{req.detail()}; {req.status.replace('_', ' ')}.")
        shares.append(share)
        evidence.append(
            Evidence(
                label=req.name,
                value=round(share, 4),
                detail=f"{req.title}: {detail}",
                source=source,
            )
        )
        if req.status == "unmet":
            gaps.append(gap)
    met = sum(1 for r in standing.requirements if r.status in _ON_TRACK)
    score = sum(shares) / len(shares) if shares else 1.0
    return Readiness(
        score=score,
        status=standing.status,
        met=met,
        total=len(standing.requirements),
        credits_to_add=round(sum(g.credits_to_add for g in gaps), 2),
        gaps=tuple(gaps),
        evidence=tuple(evidence),
    )
