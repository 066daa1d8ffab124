"""Which catalog courses a plan may use: those the requirements and the course graph say can matter.

A course is a candidate when some requirement of a goal (or of a set a ``goal`` requirement
names) accepts it, or when a candidate needs it first (prerequisite or corequisite closure), and it
fits some term of the calendar. Courses the student already has credit for, or is taking, are
not candidates (unless the catalog marks them repeatable).

Candidates that are *interchangeable* (same credits, terms, grade levels, prerequisites and
corequisites, the same requirements accept them, the same preference score, and no candidate
needs them) are grouped: an optimal plan never needs more of a group than its requirements could
absorb, so only that many are given to the solver, and the group is what the plan shows as
"any 2 of these 6 courses".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from engine.graph import prereq_courses
from engine.model import Catalog, Course
from engine.normalize import GradedRow
from engine.planning.cache import catalog_facts, placement_table
from engine.planning.terms import Calendar
from engine.requirements import CompiledSet

__all__ = ["Candidates", "find_candidates", "preference_score"]


@dataclass(frozen=True)
class Candidates:
    """Courses given to the solver, and for each the interchangeable courses of its group."""

    courses: tuple[Course, ...]
    groups: Mapping[str, tuple[str, ...]]  # course id -> its whole group (catalog order)
    special: frozenset[str]  # needed by another candidate, or locked: never grouped


def preference_score(course: Course, subjects: Sequence[str], attributes: Sequence[str]) -> int:
    """1 when a course matches a subject or attribute (career) the student likes, else 0."""
    if course.subject in subjects or set(course.attributes) & set(attributes):
        return 1
    return 0


def _dominates(a: Course, b: Course) -> bool:
    """``a`` can stand in for ``b`` anywhere: offered whenever and to whomever ``b`` is, and
    needs nothing ``b`` does not (same credits and requirements are checked by the caller)."""
    if a.corequisites and a.corequisites != b.corequisites:
        return False
    if a.prerequisites is not None and a.prerequisites != b.prerequisites:
        return False
    if not set(b.grade_levels) <= set(a.grade_levels):
        return False
    if a.terms == ("year",) or b.terms == ("year",):
        return a.terms == b.terms
    return set(b.terms) <= set(a.terms)


def find_candidates(
    *,
    catalog: Catalog,
    csets: Sequence[CompiledSet],
    calendar: Calendar,
    rows: Sequence[GradedRow],
    locked: Iterable[str],
    excluded: Iterable[str],
    prefer: tuple[Sequence[str], Sequence[str]],
    offered_only: bool = True,
) -> Candidates:
    """The candidate courses for a plan (see the module docstring)."""
    courses = {c.id: c for c in catalog.courses}
    have = {r.course.id for r in rows if r.credited}
    excluded_set = set(excluded) if offered_only else set()
    locked_set = set(locked)
    facts = catalog_facts(catalog, csets)
    keys = facts.keys
    table = placement_table(calendar, offered_only=offered_only)

    def plannable(cid: str) -> bool:
        course = courses.get(cid)
        if course is None or cid in excluded_set:
            return False
        if cid in have and not course.repeatable:
            return False
        return bool(table.of(course))

    chosen = [cid for cid in courses if (cid in keys or cid in locked_set) and plannable(cid)]

    def closure(seeds: Iterable[str]) -> tuple[set[str], set[str]]:
        """``seeds`` and every plannable course they need first; and the courses needed."""
        picked = set(seeds)
        needed: set[str] = set()
        todo = sorted(picked)
        while todo:
            course = courses[todo.pop()]
            for ref in [*prereq_courses(course.prerequisites), *course.corequisites]:
                needed.add(ref)
                if ref not in picked and plannable(ref):
                    picked.add(ref)
                    todo.append(ref)
        return picked, needed

    liked: dict[str, int] = {}

    def score(cid: str) -> int:
        found = liked.get(cid)
        if found is None:
            found = liked[cid] = preference_score(courses[cid], *prefer)
        return found

    def signature(cid: str, special: frozenset[str]) -> tuple[object, ...]:
        if cid in special:
            return ("special", cid)
        return (*facts.signatures[cid], score(cid))

    def prune(picked: set[str], special: frozenset[str]) -> set[str]:
        """Drop a course when enough kept courses of its class can stand in for it."""
        classes: dict[tuple[object, ...], list[str]] = {}
        for cid in courses:  # catalog order
            if cid in picked:
                if cid in special:
                    cls: tuple[object, ...] = ("special", cid)
                else:
                    sig = facts.signatures[cid]
                    cls = (sig[0], sig[5], score(cid))
                classes.setdefault(cls, []).append(cid)
        kept: set[str] = set()
        for members in classes.values():
            if len(members) == 1:
                kept.add(members[0])  # nothing can stand in for it (cap is at least 1)
                continue
            cap = facts.cap(courses[members[0]])
            ranked = sorted(
                members,
                key=lambda c: (
                    courses[c].prerequisites is not None,
                    -len(courses[c].grade_levels),
                    -len(courses[c].terms),
                    # (catalog order last: ``sorted`` is stable and members are in it)
                ),
            )
            here: list[str] = []
            for cid in ranked:
                if cid in special:
                    here.append(cid)
                    continue
                # Kept when fewer than ``cap`` kept courses dominate it (counting stops there).
                better = 0
                course = courses[cid]
                for k in here:
                    if _dominates(courses[k], course):
                        better += 1
                        if better >= cap:
                            break
                if better < cap:
                    here.append(cid)
            kept.update(here)
        return kept

    # Pruning a course can make its prerequisites unneeded, which may let them be pruned too.
    picked, needed = closure(chosen)
    special = frozenset((needed | locked_set) & picked)
    kept = prune(picked, special)
    for _ in range(4):
        again, needed = closure([c for c in chosen if c in kept] + sorted(locked_set & kept))
        special = frozenset((needed | locked_set) & again)
        fewer = prune(again, special)
        if fewer == kept:
            break
        kept = fewer
    groups: dict[tuple[object, ...], list[str]] = {}
    for cid in courses:
        if cid in picked:
            groups.setdefault(signature(cid, frozenset(needed | locked_set)), []).append(cid)
    by_course = {cid: tuple(members) for members in groups.values() for cid in members}
    return Candidates(
        courses=tuple(courses[cid] for cid in courses if cid in kept),
        groups=by_course,
        special=special,
    )
