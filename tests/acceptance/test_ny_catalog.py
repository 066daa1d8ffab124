"""The New York 2025 catalog: what the Regents diploma relies on.

What every state catalog must carry is checked for all of them in ``test_state_catalogs.py``.
Here, from the shared vocabulary (NCAA core attributes) and New York's credit table
(published-rules.md §4c: science is life or physical; the arts unit), never from the catalog
itself.
"""

from __future__ import annotations

import pytest

from engine import Course, Knowledge

NOT_NCAA_CORE_SUBJECTS = {"cte", "pe", "health", "fine-arts", "elective"}


@pytest.fixture(scope="module")
def courses(kb: Knowledge) -> tuple[Course, ...]:
    catalog = next(c for c in kb.catalogs["NY"] if c.id == "ny-2025")
    return catalog.courses


def by_id(courses: tuple[Course, ...]) -> dict[str, Course]:
    return {c.id: c for c in courses}


def test_ncaa_core_excludes_cte_pe_arts_and_remedial(courses: tuple[Course, ...]) -> None:
    for course in courses:
        core = [a for a in course.attributes if a.startswith("ncaa-core:")]
        if course.subject in NOT_NCAA_CORE_SUBJECTS or course.level in ("remedial", "cte"):
            assert not core, course.id
        if "ncaa-core:lab-science" in core:
            assert "ncaa-core:science" in core, course.id
            assert "lab-science" in course.attributes, course.id


def test_every_science_is_life_or_physical(courses: tuple[Course, ...]) -> None:
    """Credit table: "Science 3: life 1, physical 1, life or physical 1" - each science unit is
    one or the other."""
    for course in courses:
        if course.subject == "science":
            kinds = {"ny:life-science", "ny:physical-science"} & set(course.attributes)
            assert len(kinds) == 1, course.id


def test_each_regents_exam_has_a_course(courses: tuple[Course, ...]) -> None:
    """The Regents exams of the 4+1 requirement each end a course this school offers."""
    catalog = by_id(courses)
    for course_id in (
        "ENG3",
        "ALG1",
        "GEOM",
        "ALG2",
        "BIO",
        "ESS",
        "CHEM",
        "PHYS",
        "GLOB2",
        "USHIST",
    ):
        assert "ny:regents-course" in catalog[course_id].attributes, course_id


def test_design_and_drawing_for_production_earns_the_arts_unit(
    courses: tuple[Course, ...],
) -> None:
    """NYSED: DDP "is an approved course to meet the one unit of art/music requirement"; it is a
    full-year course."""
    ddp = by_id(courses)["DDP"]
    assert "ny:arts" in ddp.attributes
    assert ddp.credits == 1
    assert ddp.terms == ("year",)


def test_four_years_of_pe_make_two_units(courses: tuple[Course, ...]) -> None:
    """Credit table: "Physical education 2 (1/4 per semester)"."""
    catalog = by_id(courses)
    assert sum(catalog[f"PE{g}"].credits for g in (9, 10, 11, 12)) == 2
