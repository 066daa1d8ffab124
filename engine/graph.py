"""The course graph: prerequisites, corequisites and what each course unlocks.

networkx is untyped and raises lazily, so it stays behind this typed wrapper: a prerequisite
cycle becomes :class:`PrerequisiteCycle` here, with the courses that form it, and every query
returns plain Python values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from engine.errors import KnowledgeError
from engine.grades import letter_rank
from engine.model import Course, Prereq, PrereqAll, PrereqAny, PrereqCourse

__all__ = ["MAX_CYCLES", "CourseGraph", "PrerequisiteCycle", "prereq_courses", "prereq_satisfied"]

#: Cycles reported per catalog; fixing these shows the next ones on the following run.
MAX_CYCLES = 100


@dataclass(frozen=True)
class PrerequisiteCycle:
    """Courses that require each other, in order (the first requires the last)."""

    courses: tuple[str, ...]

    def describe(self) -> str:
        chain = [*self.courses, self.courses[0]]
        return " -> ".join(chain)


def prereq_courses(node: Prereq | None) -> list[str]:
    """Every course id a prerequisite tree mentions, in authored order."""
    if node is None:
        return []
    if isinstance(node, PrereqCourse):
        return [node.course]
    out: list[str] = []
    for child in node.all if isinstance(node, PrereqAll) else node.any:
        out.extend(prereq_courses(child))
    return out


def prereq_satisfied(node: Prereq | None, passed: Callable[[str, str | None], bool]) -> bool:
    """Whether a prerequisite tree holds, given ``passed(course, min_grade)``."""
    if node is None:
        return True
    if isinstance(node, PrereqCourse):
        return passed(node.course, node.min_grade)
    if isinstance(node, PrereqAll):
        return all(prereq_satisfied(child, passed) for child in node.all)
    assert isinstance(node, PrereqAny)  # the union has three members
    return any(prereq_satisfied(child, passed) for child in node.any)


class CourseGraph:
    """Directed graph of one catalog: an edge ``A -> B`` means A appears in B's prerequisites.

    Examples
    --------
    >>> from engine.model import Course, PrereqCourse
    >>> alg1 = Course(id="ALG1", title="Algebra I", subject="math", credits=1)
    >>> geom = Course(id="GEOM", title="Geometry", subject="math", credits=1,
    ...               prerequisites=PrereqCourse(course="ALG1"))
    >>> graph = CourseGraph([alg1, geom])
    >>> graph.unlocks("ALG1")
    ('GEOM',)
    >>> graph.earliest_grade_level("GEOM")
    10
    """

    def __init__(self, courses: Iterable[Course]) -> None:
        self._courses: dict[str, Course] = {c.id: c for c in courses}
        graph = nx.DiGraph()
        graph.add_nodes_from(self._courses)
        for course in self._courses.values():
            for required in prereq_courses(course.prerequisites):
                graph.add_edge(required, course.id, kind="prerequisite")
        self._graph = graph

    @property
    def courses(self) -> Mapping[str, Course]:
        return self._courses

    def cycles(self) -> list[PrerequisiteCycle]:
        """Elementary prerequisite cycles (an authoring error), shortest first.

        At most :data:`MAX_CYCLES` of them: ten courses that each need any of the others hold a
        million cycles, and listing them all would hang the check that reports them.
        """
        found = [tuple(c) for c in itertools.islice(nx.simple_cycles(self._graph), MAX_CYCLES)]
        found.sort(key=lambda c: (len(c), c))
        return [PrerequisiteCycle(_rotate(cycle)) for cycle in found]

    def missing_references(self) -> list[tuple[str, str]]:
        """``(course, referenced id)`` pairs where a prerequisite or corequisite names no course."""
        out: list[tuple[str, str]] = []
        for course in self._courses.values():
            for ref in [*prereq_courses(course.prerequisites), *course.corequisites]:
                if ref not in self._courses:
                    out.append((course.id, ref))
        return out

    def prerequisites_met(self, course_id: str, passed: Mapping[str, str]) -> bool:
        """Whether a transcript's passed courses (id -> best letter) meet ``course_id``'s tree."""

        def check(ref: str, min_grade: str | None) -> bool:
            letter = passed.get(ref)
            if letter is None:
                return False
            return min_grade is None or letter_rank(letter) >= letter_rank(min_grade)

        return prereq_satisfied(self._courses[course_id].prerequisites, check)

    def unlocks(self, course_id: str) -> tuple[str, ...]:
        """Courses that name ``course_id`` directly in their prerequisites."""
        return tuple(sorted(self._graph.successors(course_id)))

    def leads_to(self, course_id: str) -> tuple[str, ...]:
        """Every course reachable through prerequisite chains from ``course_id``."""
        return tuple(sorted(nx.descendants(self._graph, course_id)))

    def requires(self, course_id: str) -> tuple[str, ...]:
        """Every course ``course_id`` may transitively depend on."""
        return tuple(sorted(nx.ancestors(self._graph, course_id)))

    def earliest_grade_level(self, course_id: str) -> int:
        """Earliest grade level a student starting from nothing could take ``course_id``.

        Raises :class:`~engine.errors.KnowledgeError` if prerequisites form a cycle (loaded
        knowledge never does: cycles are authoring errors).
        """
        return self._earliest[course_id]

    @cached_property
    def _earliest(self) -> dict[str, int]:
        earliest: dict[str, int] = {}
        try:
            order = list(nx.topological_sort(self._graph))
        except nx.NetworkXUnfeasible:
            cycle = self.cycles()[0]
            raise KnowledgeError(
                f"no earliest grade level: prerequisite cycle {cycle.describe()}"
            ) from None
        for cid in order:
            course = self._courses.get(cid)
            if course is None:
                continue
            earliest[cid] = max(
                min(course.grade_levels), self._after(course.prerequisites, earliest)
            )
        return earliest

    def _after(self, node: Prereq | None, earliest: Mapping[str, int]) -> int:
        """First grade level after a prerequisite tree can be complete (year-long granularity)."""
        if node is None:
            return 0
        if isinstance(node, PrereqCourse):
            return earliest.get(node.course, 99) + 1
        if isinstance(node, PrereqAll):
            return max(self._after(child, earliest) for child in node.all)
        assert isinstance(node, PrereqAny)
        return min(self._after(child, earliest) for child in node.any)


def _rotate(cycle: tuple[str, ...]) -> tuple[str, ...]:
    """Start a cycle at its smallest id so the same cycle always reads the same way."""
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]
