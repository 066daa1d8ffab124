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

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from engine.graph import prereq_courses
from engine.model import Catalog, Course
from engine.normalize import GradedRow
from engine.planning.terms import Calendar, placements
from engine.requirements import CompiledSet, CountLeaf, CreditLeaf, GpaLeaf, consumes

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


def _leaf_keys(csets: Sequence[CompiledSet]) -> dict[str, set[tuple[object, ...]]]:
    """Course id -> every (set, leaf, role) that accepts it: what makes courses different."""
    keys: dict[str, set[tuple[object, ...]]] = {}
    for cset in csets:
        for i, leaf in enumerate(cset.leaves):
            eligible: Iterable[str] = ()
            if isinstance(leaf, CreditLeaf | CountLeaf | GpaLeaf):
                eligible = leaf.eligible or ()
            for cid in eligible:
                key: tuple[object, ...] = (cset.id, i)
                if isinstance(leaf, CreditLeaf):
                    limit = next((k for k, (_, m) in enumerate(leaf.limits) if cid in m), -1)
                    key = (cset.id, i, limit, leaf.level_of.get(cid, 0))
                keys.setdefault(cid, set()).add(key)
    return keys


def _cap(course: Course, csets: Sequence[CompiledSet]) -> int:
    """Most courses of one group an optimal plan can use: what its requirements absorb."""
    best = 0
    for cset in csets:
        consuming = 0
        shared = 0
        for leaf in cset.leaves:
            if isinstance(leaf, CreditLeaf) and course.id in leaf.eligible:
                need = math.ceil(leaf.demand / course.credits - 1e-9)
                if consumes(leaf):
                    consuming += need
                else:
                    shared = max(shared, need)
            elif isinstance(leaf, CountLeaf) and course.id in leaf.eligible:
                shared = max(shared, leaf.need)
        best = max(best, consuming + shared)
    return max(best, 1)


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
    keys = _leaf_keys(csets)

    def plannable(cid: str) -> bool:
        course = courses.get(cid)
        if course is None or cid in excluded_set:
            return False
        if cid in have and not course.repeatable:
            return False
        return bool(placements(course, calendar, offered_only=offered_only))

    chosen = [cid for cid in courses if (cid in keys or cid in locked_set) and plannable(cid)]
    picked = set(chosen)
    needed: set[str] = set()
    todo = list(chosen)
    while todo:
        course = courses[todo.pop()]
        for ref in [*prereq_courses(course.prerequisites), *course.corequisites]:
            needed.add(ref)
            if ref not in picked and plannable(ref):
                picked.add(ref)
                todo.append(ref)
    special = frozenset((needed | locked_set) & picked)
    groups: dict[tuple[object, ...], list[str]] = {}
    for cid in courses:  # catalog order, so groups list courses as the catalog does
        if cid not in picked:
            continue
        course = courses[cid]
        if cid in special:
            signature: tuple[object, ...] = ("special", cid)
        else:
            signature = (
                course.credits,
                course.terms,
                course.grade_levels,
                json.dumps(
                    course.prerequisites.model_dump(mode="json") if course.prerequisites else None
                ),
                course.corequisites,
                tuple(sorted(map(repr, keys.get(cid, ())))),
                preference_score(course, *prefer),
            )
        groups.setdefault(signature, []).append(cid)
    kept: set[str] = set()
    by_course: dict[str, tuple[str, ...]] = {}
    for members in groups.values():
        cap = _cap(courses[members[0]], csets)
        kept.update(members[:cap])
        for cid in members:
            by_course[cid] = tuple(members)
    return Candidates(
        courses=tuple(courses[cid] for cid in courses if cid in kept),
        groups=by_course,
        special=special,
    )
