"""The New York 2025 catalog against what every state catalog must carry (issue 3).

What is checked comes from the shared vocabulary (docs/vocabulary.md: NCAA core attributes, the
16 National Career Clusters, programs of study, Perkins V's two-course concentrator), from the
verified rows of the NCES SCED sample (../shared/reference/data/sced_course_codes_sample.csv) and
from New York's credit table (published-rules.md §4c: science is life or physical; the arts unit),
never from the catalog itself.
"""

from __future__ import annotations

from collections import Counter

import pytest

from engine import Course, Knowledge

# docs/vocabulary.md, "cte:<cluster>": the 16 National Career Clusters (2002-2024 framework).
CLUSTERS = {
    "agriculture",
    "architecture-construction",
    "arts-av-communications",
    "business-management",
    "education-training",
    "finance",
    "government-public-administration",
    "health-science",
    "hospitality-tourism",
    "human-services",
    "information-technology",
    "law-public-safety",
    "manufacturing",
    "marketing",
    "stem",
    "transportation-logistics",
}
REQUIRED_PROGRAMS = (
    "programming-software",
    "engineering",
    "business-management",
    "culinary-arts",
    "construction-trades",
    "automotive-technology",
    "law-enforcement",
    "digital-media",
)
HEALTH_PROGRAMS = ("health-science", "nursing-science", "biomedical-science")
# Codes marked "verified" in the shared SCED sample.
VERIFIED_SCED = {
    "01001", "01002", "01003", "01004", "01005", "01006", "01104", "01151", "02052", "03001",
    "03003", "03051", "03053", "03056", "03101", "03106", "03151", "03159", "03207", "14154",
    "17003", "21004", "21009",
}  # fmt: skip
NOT_NCAA_CORE_SUBJECTS = {"cte", "pe", "health", "fine-arts", "elective"}


@pytest.fixture(scope="module")
def courses(kb: Knowledge) -> tuple[Course, ...]:
    catalog = next(c for c in kb.catalogs["NY"] if c.id == "ny-2025")
    return catalog.courses


def by_id(courses: tuple[Course, ...]) -> dict[str, Course]:
    return {c.id: c for c in courses}


def test_at_least_120_courses(courses: tuple[Course, ...]) -> None:
    assert len(courses) >= 120


def test_every_cte_course_names_one_national_cluster(courses: tuple[Course, ...]) -> None:
    cte = [c for c in courses if c.subject == "cte"]
    assert len(cte) >= 30
    for course in cte:
        clusters = [a.removeprefix("cte:") for a in course.attributes if a.startswith("cte:")]
        assert len(clusters) == 1, course.id
        assert clusters[0] in CLUSTERS, course.id


def test_programs_of_study_have_a_concentrator_sequence(courses: tuple[Course, ...]) -> None:
    """Perkins V: a concentrator completes at least 2 courses in one program."""
    per_program = Counter(
        a.removeprefix("pos:") for c in courses for a in c.attributes if a.startswith("pos:")
    )
    concentrations = {p for p, n in per_program.items() if n >= 2}
    assert len(concentrations) >= 10
    assert set(REQUIRED_PROGRAMS) <= concentrations
    assert concentrations & set(HEALTH_PROGRAMS)
    for course in courses:
        if any(a.startswith("pos:") for a in course.attributes):
            assert any(a.startswith("cte:") for a in course.attributes), course.id


def test_sced_codes_are_only_verified_ones(courses: tuple[Course, ...]) -> None:
    coded = {c.id: c.sced for c in courses if c.sced is not None}
    assert coded
    for course_id, code in coded.items():
        assert code in VERIFIED_SCED, (course_id, code)
    assert len(set(coded.values())) == len(coded), "one SCED code names one course here"


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
