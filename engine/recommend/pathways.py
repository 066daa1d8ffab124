"""The pathway view: for one career, each route to it and the student's gap to each.

A route (certificate, associate, bachelor's, apprenticeship ...) leads on from high school
through the rule sets the career's goal names for the student's state (``careers/routes.yaml``:
UC or CSU admission in California, else the state diploma). Each is audited once; the
career's own recommended coursework and Perkins concentrator apply whatever the route.
"""

from __future__ import annotations

from engine.audit import audit
from engine.careers import CareerEntry
from engine.errors import UnknownGoalError
from engine.knowledge import Knowledge, entering_year
from engine.recommend.readiness import ROUTE, goal_gaps, requirement_gap
from engine.recommend.results import GoalGap, PathwayResult, RouteView
from engine.requirements import Group, ItemLeaf, Node
from engine.student import Student

__all__ = ["pathway"]

_ORDER = {"met": 0, "in_progress": 1, "unmet": 2}


def _route_sets(
    knowledge: Knowledge, student: Student, entry: CareerEntry
) -> list[tuple[str, ...]]:
    """The rule sets each of the career's routes leads through in the student's state."""
    year = entering_year(student)
    catalog = knowledge.catalog_for(student.jurisdiction, year)
    cset = knowledge.compiled(knowledge.ruleset(entry.goal, year, cohort=student.cohort), catalog)
    node: Node | None = cset.requirements.get("route")
    options: list[Node] = (
        [] if node is None else (list(node.children) if isinstance(node, Group) else [node])
    )
    out: list[tuple[str, ...]] = []
    for route in entry.career.routes:
        prefix = f"{route.title}: "[:200]
        found = next(
            (o for o in options if isinstance(o, ItemLeaf) and o.title.startswith(prefix)),
            None,
        )
        out.append(found.ids if found is not None else ())
    return out


def pathway(*, knowledge: Knowledge, student: Student, career: str) -> PathwayResult:
    """Each route to ``career`` (an id or ``career-<id>``) with the student's gap to each.

    Examples
    --------
    >>> from pathlib import Path
    >>> from engine.knowledge import load_knowledge
    >>> from engine.loader import load_student_file
    >>> kb = load_knowledge(Path("."))
    >>> student = load_student_file(Path("samples/students/tx-junior-on-track.json"))
    >>> view = pathway(knowledge=kb, student=student, career="registered-nurse")
    >>> [(r.kind, [g.goal for g in r.goals]) for r in view.routes]
    [('bachelor', ['tx-fhsp']), ('associate', ['tx-fhsp'])]
    """
    entry = knowledge.careers.get(career)
    if entry is None:
        raise UnknownGoalError(career, knowledge.careers.entries)
    route_sets = _route_sets(knowledge, student, entry)
    wanted = [*dict.fromkeys(s for sets in route_sets for s in sets), entry.goal]
    audited = {g.goal: g for g in audit(knowledge=knowledge, student=student, goals=wanted).goals}
    result = audited[entry.goal]
    coursework = tuple(
        requirement_gap(entry.goal, req) for req in result.requirements if req.name != ROUTE
    )
    routes: list[RouteView] = []
    for route, sets in zip(
        entry.career.routes, _route_sets(knowledge, student, entry), strict=True
    ):
        goals: list[GoalGap] = []
        for set_id in sets:
            goal = audited.get(set_id)
            if goal is None:
                continue
            gaps = goal_gaps(goal)
            goals.append(
                GoalGap(
                    goal=goal.goal,
                    title=goal.title,
                    status=goal.status,
                    summary=goal.summary,
                    gaps=gaps,
                    credits_to_add=round(sum(g.credits_to_add for g in gaps), 2),
                )
            )
        goals.sort(key=lambda g: (_ORDER[g.status], g.credits_to_add, g.goal))
        status = goals[0].status if goals else "unmet"
        routes.append(
            RouteView(kind=route.kind, title=route.title, goals=tuple(goals), status=status)
        )
    return PathwayResult(
        student=student.id,
        jurisdiction=student.jurisdiction,
        career=entry.career.id,
        title=entry.career.title,
        soc=entry.career.soc,
        entry_education_title=entry.education,
        coursework=coursework,
        routes=tuple(routes),
    )
