"""What the planner works out once per catalog (and calendar) and reuses for every student.

Finding candidates and building the model ask the same questions of the same catalog for every
student: where each course can sit in the calendar, which requirements accept it, how many of an
interchangeable group a plan can use. The answers depend only on the catalog, the compiled rule
sets and the calendar, so they are kept here.

Entries are keyed by the *identity* of the catalog, course and compiled set objects (the
:class:`~engine.knowledge.Knowledge` caches those, so every plan of a session gets the same
objects back) and each entry holds on to the objects it is keyed by, so an id is never reused
while its entry lives. The tables are bounded (cleared when full): a what-if draft rule set
compiles to new objects and must not pile up.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engine.model import Catalog, Course
from engine.planning.terms import Calendar, Placement, placements
from engine.requirements import CompiledSet, CountLeaf, CreditLeaf, GpaLeaf, Group, Node, consumes

__all__ = ["CatalogFacts", "PlacementTable", "catalog_facts", "placement_table"]

#: Most calendars, and most catalog + rule-set combinations, remembered at once.
MAX_ENTRIES = 64

_lock = threading.Lock()
_tables: dict[tuple[Calendar, bool], PlacementTable] = {}
_facts: dict[tuple[int, ...], CatalogFacts] = {}


class PlacementTable:
    """:func:`engine.planning.terms.placements` for one calendar, remembered per course."""

    def __init__(self, calendar: Calendar, offered_only: bool) -> None:
        self.calendar = calendar
        self.offered_only = offered_only
        self._found: dict[int, tuple[Course, tuple[Placement, ...]]] = {}

    def of(self, course: Course) -> tuple[Placement, ...]:
        hit = self._found.get(id(course))
        if hit is not None and hit[0] is course:
            return hit[1]
        found = tuple(placements(course, self.calendar, offered_only=self.offered_only))
        self._found[id(course)] = (course, found)
        return found


def placement_table(calendar: Calendar, *, offered_only: bool = True) -> PlacementTable:
    """The placement table of ``calendar`` (calendars compare by value: one per term plan)."""
    key = (calendar, offered_only)
    table = _tables.get(key)
    if table is None:
        with _lock:
            if len(_tables) >= MAX_ENTRIES:
                _tables.clear()
            table = _tables.setdefault(key, PlacementTable(calendar, offered_only))
    return table


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


def _floor(cset: CompiledSet) -> float:
    """Credits the consuming requirements of ``cset`` take at the least."""
    return sum(_least_consumed(node) for node in cset.requirements.values())


@dataclass
class CatalogFacts:
    """A catalog read against a list of compiled rule sets."""

    catalog: Catalog
    csets: tuple[CompiledSet, ...]
    keys: dict[str, set[tuple[object, ...]]]  # course id -> the requirements that accept it
    signatures: dict[str, tuple[object, ...]]  # course id -> what interchangeable ones share
    floors: tuple[float, ...]  # per set: credits its consuming requirements take at the least
    caps: dict[str, int] = field(default_factory=dict)

    def cap(self, course: Course) -> int:
        """Most courses of one interchangeable group an optimal plan can use.

        Rows a consuming requirement takes are bounded by its demand; a shared requirement over
        every course (a total) needs rows beyond those only for what the consuming requirements
        cannot already supply; one that reads only applied rows (``within``) needs none.
        """
        found = self.caps.get(course.id)
        if found is not None:
            return found
        best = 0
        for cset, floor in zip(self.csets, self.floors, strict=True):
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
        found = max(best, 1)
        self.caps[course.id] = found
        return found


def catalog_facts(catalog: Catalog, csets: Sequence[CompiledSet]) -> CatalogFacts:
    """The facts for ``catalog`` and ``csets``, worked out on first use."""
    key = (id(catalog), *(id(c) for c in csets))
    found = _facts.get(key)
    if (
        found is not None
        and found.catalog is catalog
        and all(a is b for a, b in zip(found.csets, csets, strict=True))
    ):
        return found
    keys = _leaf_keys(csets)
    signatures: dict[str, tuple[object, ...]] = {}
    for course in catalog.courses:
        prereq = course.prerequisites.model_dump(mode="json") if course.prerequisites else None
        signatures[course.id] = (
            course.credits,
            course.terms,
            course.grade_levels,
            json.dumps(prereq),
            course.corequisites,
            tuple(sorted(map(repr, keys.get(course.id, ())))),
        )
    found = CatalogFacts(
        catalog=catalog,
        csets=tuple(csets),
        keys=keys,
        signatures=signatures,
        floors=tuple(_floor(c) for c in csets),
    )
    with _lock:
        if len(_facts) >= MAX_ENTRIES:
            _facts.clear()
        _facts[key] = found
    return found
