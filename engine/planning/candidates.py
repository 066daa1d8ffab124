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
from functools import lru_cache

from engine.graph import prereq_courses
from engine.model import Catalog, Course
from engine.normalize import GradedRow
from engine.planning.terms import Calendar, placements
from engine.requirements import (
    CompiledSet,
    CountLeaf,
    CreditLeaf,
    GpaLeaf,
    Group,
    Node,
    consumes,
)

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


def _least_consumed(node: Node) -> float:
    """The fewest credits consuming requirements under ``node`` need for it to be met."""
    if isinstance(node, Group):
        kids = sorted(_least_consumed(child) for child in node.children)
        return sum(kids) if node.op == "all" else sum(kids[: node.need])
    if isinstance(node, CreditLeaf) and consumes(node):
        return node.demand
    return 0.0


@lru_cache(maxsize=256)
def _floor(cset: CompiledSet) -> float:
    """Credits the consuming requirements of ``cset`` take at the least (cached per set)."""
    return sum(_least_consumed(node) for node in cset.requirements.values())


def _cap(course: Course, csets: Sequence[CompiledSet]) -> int:
    """Most courses of one interchangeable group an optimal plan can use.

    Rows a consuming requirement takes are bounded by its demand; a shared requirement over
    every course (a total) needs rows beyond those only for what the consuming requirements
    cannot already supply; one that reads only applied rows (``within``) needs none.
    """
    best = 0
    for cset in csets:
        floor = _floor(cset)
        every = len(cset.catalog.courses)
        consuming = 0
        shared = 0
        for leaf in cset.leaves:
            if isinstance(leaf, CreditLeaf) and course.id in leaf.eligible:
                if consumes(leaf):
                    consuming += math.ceil(leaf.demand / course.credits - 1e-9)
                    continue
                if leaf.within:
                    continue
                demand = leaf.demand
                if len(leaf.eligible) == every:
                    demand = max(0.0, demand - floor)
                shared = max(shared, math.ceil(demand / course.credits - 1e-9))
            elif isinstance(leaf, CountLeaf) and course.id in leaf.eligible:
                shared = max(shared, leaf.need)
        best = max(best, consuming + shared)
    return max(best, 1)


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
    keys = _leaf_keys(csets)

    def plannable(cid: str) -> bool:
        course = courses.get(cid)
        if course is None or cid in excluded_set:
            return False
        if cid in have and not course.repeatable:
            return False
        return bool(placements(course, calendar, offered_only=offered_only))

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

    def signature(cid: str, special: frozenset[str]) -> tuple[object, ...]:
        course = courses[cid]
        if cid in special:
            return ("special", cid)
        prereq = course.prerequisites.model_dump(mode="json") if course.prerequisites else None
        return (
            course.credits,
            course.terms,
            course.grade_levels,
            json.dumps(prereq),
            course.corequisites,
            tuple(sorted(map(repr, keys.get(cid, ())))),
            preference_score(course, *prefer),
        )

    caps: dict[str, int] = {}

    def prune(picked: set[str], special: frozenset[str]) -> set[str]:
        """Drop a course when enough kept courses of its class can stand in for it."""
        classes: dict[tuple[object, ...], list[str]] = {}
        for cid in courses:  # catalog order
            if cid in picked:
                sig = signature(cid, special)
                cls = sig if sig[0] == "special" else (sig[0], sig[5], sig[6])
                classes.setdefault(cls, []).append(cid)
        kept: set[str] = set()
        for members in classes.values():
            first = members[0]
            if first not in caps:
                caps[first] = _cap(courses[first], csets)
            cap = caps[first]
            ranked = sorted(
                members,
                key=lambda c: (
                    courses[c].prerequisites is not None,
                    -len(courses[c].grade_levels),
                    -len(courses[c].terms),
                    members.index(c),
                ),
            )
            here: list[str] = []
            for cid in ranked:
                better = sum(1 for k in here if _dominates(courses[k], courses[cid]))
                if cid in special or better < cap:
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
