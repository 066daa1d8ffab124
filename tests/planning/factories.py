"""Knowledge built in memory for planner tests: one catalog, a few rule sets."""

from __future__ import annotations

from engine.graph import CourseGraph
from engine.knowledge import Knowledge
from engine.model import Catalog, RequirementSet


def knowledge(cat: Catalog, *sets: RequirementSet) -> Knowledge:
    """Knowledge over ``cat`` and ``sets`` without files (sets must not use ``extends``)."""
    return Knowledge(
        catalogs={cat.jurisdiction: [cat]},
        rulesets={s.id: [s] for s in sets},
        graphs={cat.id: CourseGraph(cat.courses)},
    )
