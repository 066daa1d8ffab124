"""The course graph: cycles, what a course unlocks and needs, and the earliest grade for it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import load_knowledge
from engine.errors import GradPathError
from engine.graph import CourseGraph, PrerequisiteCycle, prereq_courses
from engine.model import Catalog, PrereqAll, PrereqCourse
from tests.conftest import ROOT, course
from tests.depth import deep_settings
from tests.strategies import catalogs


def requires(cid: str, prereq: Any = None, **kw: Any) -> Any:
    """A math course with a prerequisite tree given as authored data."""
    if prereq is not None:
        kw["prerequisites"] = {"course": prereq} if isinstance(prereq, str) else prereq
    return course(cid, subject="math", **kw)


CHAIN = CourseGraph(
    [
        requires("ALG1"),
        requires("GEOM", "ALG1"),
        requires("ALG2", {"all": [{"course": "ALG1"}, {"course": "GEOM"}]}),
        requires("PRECALC", "ALG2"),
        requires("STATS", {"course": "ALG1", "min_grade": "B"}, grade_levels=[11, 12]),
        requires("CALC", {"any": [{"course": "PRECALC"}, {"course": "STATS"}]}),
        requires("MATHMOD", {"any": [{"course": "ALG2"}, {"course": "GEOM"}]}),
    ]
)


# --------------------------------------------------------------------------------------------
# Cycles
# --------------------------------------------------------------------------------------------


def test_a_cycle_is_named_in_order_from_its_smallest_id() -> None:
    # C requires A, B requires C, A requires B: A -> C -> B -> A, listed from "A" even though
    # neither the file order nor the alphabet would put it that way.
    graph = CourseGraph([requires("B", "C"), requires("C", "A"), requires("A", "B")])
    assert graph.cycles() == [PrerequisiteCycle(("A", "C", "B"))]
    assert graph.cycles()[0].describe() == "A -> C -> B -> A"


def test_cycles_are_listed_shortest_first() -> None:
    graph = CourseGraph(
        [
            requires("A", "C"),
            requires("B", "A"),
            requires("C", "B"),
            requires("E", "D"),
            requires("D", "E"),
            requires("F", "F"),
        ]
    )
    assert [c.courses for c in graph.cycles()] == [("F",), ("D", "E"), ("A", "B", "C")]


def test_an_acyclic_catalog_has_no_cycles() -> None:
    assert CHAIN.cycles() == []


def test_a_cycle_raises_a_gradpath_error_not_a_networkx_one() -> None:
    graph = CourseGraph([requires("A", "B"), requires("B", "A")])
    with pytest.raises(GradPathError, match="prerequisite cycle A -> B -> A"):
        graph.earliest_grade_level("A")


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------


def test_unlocks_are_direct_successors() -> None:
    assert CHAIN.unlocks("ALG1") == ("ALG2", "GEOM", "STATS")
    assert CHAIN.unlocks("GEOM") == ("ALG2", "MATHMOD")
    assert CHAIN.unlocks("CALC") == ()


def test_leads_to_and_requires_follow_chains() -> None:
    assert CHAIN.leads_to("GEOM") == ("ALG2", "CALC", "MATHMOD", "PRECALC")
    assert CHAIN.leads_to("CALC") == ()
    assert CHAIN.requires("CALC") == ("ALG1", "ALG2", "GEOM", "PRECALC", "STATS")
    assert CHAIN.requires("ALG1") == ()


def test_earliest_grade_level_along_a_chain() -> None:
    levels = {cid: CHAIN.earliest_grade_level(cid) for cid in ("ALG1", "GEOM", "ALG2", "PRECALC")}
    assert levels == {"ALG1": 9, "GEOM": 10, "ALG2": 11, "PRECALC": 12}


def test_earliest_grade_level_takes_the_earliest_option_of_an_any() -> None:
    assert CHAIN.earliest_grade_level("MATHMOD") == 11  # after GEOM (10), not ALG2 (11)
    # STATS (offered from grade 11) opens CALC in 12; PRECALC (12) would only open it in 13.
    assert CHAIN.earliest_grade_level("STATS") == 11
    assert CHAIN.earliest_grade_level("CALC") == 12


def test_earliest_grade_level_respects_where_a_course_is_offered() -> None:
    graph = CourseGraph([requires("ALG1"), requires("AP", "ALG1", grade_levels=[11, 12])])
    assert graph.earliest_grade_level("AP") == 11


def test_prerequisites_met_reads_min_grade() -> None:
    assert CHAIN.prerequisites_met("ALG1", {})
    assert CHAIN.prerequisites_met("STATS", {"ALG1": "B"})
    assert CHAIN.prerequisites_met("STATS", {"ALG1": "A-"})
    assert not CHAIN.prerequisites_met("STATS", {"ALG1": "B-"})
    assert not CHAIN.prerequisites_met("STATS", {})


def test_prerequisites_met_all_and_any() -> None:
    assert CHAIN.prerequisites_met("ALG2", {"ALG1": "C", "GEOM": "D"})
    assert not CHAIN.prerequisites_met("ALG2", {"ALG1": "C"})
    assert CHAIN.prerequisites_met("CALC", {"STATS": "C"})
    assert CHAIN.prerequisites_met("CALC", {"PRECALC": "C"})
    assert not CHAIN.prerequisites_met("CALC", {"ALG2": "A"})


def test_missing_references_names_course_and_reference() -> None:
    graph = CourseGraph(
        [
            requires("ALG1"),
            requires("GEOM", {"all": [{"course": "ALG1"}, {"course": "ALG0"}]}),
            requires("LAB", corequisites=["NOPE"]),
        ]
    )
    assert graph.missing_references() == [("GEOM", "ALG0"), ("LAB", "NOPE")]
    assert CHAIN.missing_references() == []


# --------------------------------------------------------------------------------------------
# Random prerequisite DAGs
# --------------------------------------------------------------------------------------------


@deep_settings(100, deadline=None)
@given(cat=catalogs())
def test_random_dags_are_consistent(cat: Catalog) -> None:
    graph = CourseGraph(cat.courses)
    assert graph.cycles() == []
    assert graph.missing_references() == []
    everything = dict.fromkeys((c.id for c in cat.courses), "A+")
    for c in cat.courses:
        direct = set(prereq_courses(c.prerequisites))
        assert direct <= set(graph.requires(c.id))
        assert graph.unlocks(c.id) == tuple(
            sorted(d.id for d in cat.courses if c.id in prereq_courses(d.prerequisites))
        )
        for later in graph.leads_to(c.id):
            assert c.id in graph.requires(later)
        assert graph.prerequisites_met(c.id, everything)
        assert graph.prerequisites_met(c.id, {}) == (c.prerequisites is None)
        earliest = graph.earliest_grade_level(c.id)
        assert earliest >= min(c.grade_levels)
        tree = c.prerequisites
        needed = (
            [tree]
            if isinstance(tree, PrereqCourse)
            else [t for t in tree.all if isinstance(t, PrereqCourse)]
            if isinstance(tree, PrereqAll)
            else []
        )
        for p in needed:
            assert earliest >= graph.earliest_grade_level(p.course) + 1, (c.id, p.course)


@deep_settings(100, deadline=None)
@given(cat=catalogs(min_courses=3), data=st.data())
def test_a_back_edge_makes_a_reported_cycle(cat: Catalog, data: st.DataObject) -> None:
    graph = CourseGraph(cat.courses)
    # Pick a course that requires something, and make one of its ancestors require it back.
    with_prereqs = [c for c in cat.courses if graph.requires(c.id)]
    if not with_prereqs:
        return
    late = data.draw(st.sampled_from(with_prereqs))
    early_id = data.draw(st.sampled_from(graph.requires(late.id)))
    courses = [
        c.model_copy(update={"prerequisites": PrereqCourse(course=late.id)})
        if c.id == early_id
        else c
        for c in cat.courses
    ]
    cycles = CourseGraph(courses).cycles()
    assert cycles
    by_id = {c.id: c for c in courses}
    for cycle in cycles:
        ids = cycle.courses
        assert ids[0] == min(ids)
        # Each course in the cycle is required by the next; the first requires the last.
        for here, after in zip(ids, ids[1:] + ids[:1], strict=True):
            assert here in prereq_courses(by_id[after].prerequisites), (here, after)
    assert any(late.id in c.courses and early_id in c.courses for c in cycles)


# --------------------------------------------------------------------------------------------
# The bundled Texas catalog
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def texas() -> CourseGraph:
    return load_knowledge(ROOT).graphs["tx-2025"]


def test_texas_catalog_has_no_cycles_or_dangling_references(texas: CourseGraph) -> None:
    assert texas.cycles() == []
    assert texas.missing_references() == []


def test_texas_chemistry_needs_biology_and_algebra(texas: CourseGraph) -> None:
    # catalogs/tx/2025/courses.yaml: CHEM requires all of BIO and ALG1.
    assert texas.requires("CHEM") == ("ALG1", "BIO")
    assert "CHEM" in texas.unlocks("BIO")
    assert texas.prerequisites_met("CHEM", {"BIO": "A", "ALG1": "C"})
    assert not texas.prerequisites_met("CHEM", {"BIO": "A"})
    assert texas.earliest_grade_level("CHEM") == 10


def test_texas_math_sequence_earliest_grades(texas: CourseGraph) -> None:
    # ALG1 may be taken for high-school credit in grade 8.
    levels = {c: texas.earliest_grade_level(c) for c in ("ALG1", "GEOM", "ALG2", "PRECAL")}
    assert levels == {"ALG1": 8, "GEOM": 9, "ALG2": 10, "PRECAL": 11}
