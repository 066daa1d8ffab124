"""Why each planned course is there: the requirements it serves, and what could replace it.

What a course serves is read from the audit of transcript + plan (the oracle), never from the
solver's own bookkeeping, so the explanation is exactly what a counselor running the audit sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from engine.graph import prereq_courses
from engine.model import Course
from engine.planning.results import Alternatives, Service
from engine.results import AuditResult, RequirementResult

__all__ = ["alternatives_for", "reason_text", "services_by_row"]

LISTED = 8


def services_by_row(result: AuditResult) -> dict[int, list[Service]]:
    """Row index -> every requirement (leaf) of every goal it is applied to."""
    out: dict[int, list[Service]] = {}

    def walk(goal: str, node: RequirementResult, top: str) -> None:
        if node.children:
            for child in node.children:
                walk(goal, child, top)
            return
        title = node.title if node.title == top else f"{top}: {node.title}"
        for applied in node.applied:
            services = out.setdefault(applied.index, [])
            if not any(s.goal == goal and s.requirement == node.path for s in services):
                services.append(Service(goal=goal, requirement=node.path, title=title))

    for goal in result.goals:
        for req in goal.requirements:
            walk(goal.goal, req, req.title)
    return out


def alternatives_for(
    course: str, group: Sequence[str], planned: Iterable[str], courses: Mapping[str, Course]
) -> Alternatives | None:
    """ "Any k of these n": the courses interchangeable with ``course`` (None if it has none)."""
    if len(group) < 2:
        return None
    chosen = set(planned)
    pick = sum(1 for cid in group if cid in chosen)
    if pick >= len(group):
        return None
    titles = [courses[cid].title for cid in group]
    shown = ", ".join(titles[:LISTED])
    if len(titles) > LISTED:
        shown += f" and {len(titles) - LISTED} more"
    text = f"any {pick} of these {len(group)} courses would do equally well: {shown}"
    return Alternatives(pick=pick, courses=tuple(group), text=text)


def reason_text(
    course: Course,
    services: Sequence[Service],
    titles: Mapping[str, str],
    planned: Sequence[Course],
    locked: bool,
) -> str:
    """One sentence: what the course counts toward, or which planned course needs it first."""
    if services:
        by_goal: dict[str, list[str]] = {}
        for service in services:
            by_goal.setdefault(titles.get(service.goal, service.goal), []).append(service.title)
        parts = [f"{goal}: {'; '.join(names)}" for goal, names in by_goal.items()]
        text = "Counts toward " + " | ".join(parts)
    else:
        needing = [
            other.title
            for other in planned
            if course.id in prereq_courses(other.prerequisites) or course.id in other.corequisites
        ]
        if needing:
            text = "Needed first for " + ", ".join(needing)
        elif locked:
            text = "You locked this course in"
        else:
            text = "Counts toward no requirement"
    if locked and services:
        text += " (locked in by you)"
    return text + "."
