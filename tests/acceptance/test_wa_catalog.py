"""The Washington 2025 catalog against what every state catalog must carry (issue 3).

What is checked comes from the shared vocabulary (docs/vocabulary.md: NCAA core attributes, the
16 National Career Clusters, programs of study, Perkins V's two-course concentrator) and from the
verified rows of the NCES SCED sample (../shared/reference/data/sced_course_codes_sample.csv),
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
# The programs issue 3 names; a health program may be any of the three.
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
# Rows marked "verified" in the shared SCED sample, with the title each code carries there.
VERIFIED_SCED = {
    "01001": "English/Language Arts I",
    "01002": "English/Language Arts II",
    "01003": "English/Language Arts III",
    "01004": "English/Language Arts IV",
    "01005": "AP English Language",
    "01006": "AP English Literature",
    "01104": "Creative Writing",
    "01151": "Public Speaking",
    "02052": "Algebra I",
    "03001": "Earth Science",
    "03003": "Environmental Science",
    "03051": "Biology",
    "03053": "Anatomy and Physiology",
    "03056": "AP Biology",
    "03101": "Chemistry",
    "03106": "AP Chemistry",
    "03151": "Physics",
    "03159": "Physical Science",
    "03207": "AP Environmental Science",
    "14154": "Medical Terminology",
    "17003": "Carpentry",
    "21004": "Principles of Engineering",
    "21009": "Robotics",
}
NOT_NCAA_CORE_SUBJECTS = {"cte", "health-fitness", "arts", "elective"}


@pytest.fixture(scope="module")
def courses(kb: Knowledge) -> tuple[Course, ...]:
    catalog = next(c for c in kb.catalogs["WA"] if c.id == "wa-2025")
    return catalog.courses


def test_at_least_120_courses(courses: tuple[Course, ...]) -> None:
    assert len(courses) >= 120


def test_every_cte_course_names_one_national_cluster_and_earns_the_cte_credit(
    courses: tuple[Course, ...],
) -> None:
    cte = [c for c in courses if c.subject == "cte"]
    assert len(cte) >= 30
    for course in cte:
        clusters = [a.removeprefix("cte:") for a in course.attributes if a.startswith("cte:")]
        assert len(clusters) == 1, course.id
        assert clusters[0] in CLUSTERS, course.id
        assert "wa:cte-credit" in course.attributes, course.id


def test_programs_of_study_have_a_concentrator_sequence(courses: tuple[Course, ...]) -> None:
    """Perkins V: a concentrator completes at least 2 courses in one program."""
    per_program = Counter(
        a.removeprefix("pos:") for c in courses for a in c.attributes if a.startswith("pos:")
    )
    concentrations = {p for p, n in per_program.items() if n >= 2}
    assert len(concentrations) >= 10
    assert set(REQUIRED_PROGRAMS) <= concentrations
    assert concentrations & set(HEALTH_PROGRAMS)


def test_sced_codes_are_only_verified_ones(courses: tuple[Course, ...]) -> None:
    coded = {c.id: c.sced for c in courses if c.sced is not None}
    assert coded
    for course_id, code in coded.items():
        assert code in VERIFIED_SCED, (course_id, code)
    assert len(set(coded.values())) == len(coded), "one SCED code names one course here"


def test_ncaa_core_excludes_cte_pe_arts_and_remedial(courses: tuple[Course, ...]) -> None:
    """The NCAA core list never carries CTE, PE, remedial or below-Algebra-I courses, and a lab
    science carries both the science and the lab-science attribute."""
    for course in courses:
        core = [a for a in course.attributes if a.startswith("ncaa-core:")]
        if course.subject in NOT_NCAA_CORE_SUBJECTS or course.level in ("remedial", "cte"):
            assert not core, course.id
        if "ncaa-core:lab-science" in core:
            assert "ncaa-core:science" in core, course.id
        if "lab-science" in course.attributes:
            assert course.subject == "science", course.id


def test_washington_state_history_can_be_taken_in_middle_school(
    courses: tuple[Course, ...],
) -> None:
    """Published checklist: Washington State History "may be taken in grades 7-8"."""
    history = next(c for c in courses if "wa:state-history" in c.attributes)
    assert {7, 8} <= set(history.grade_levels)
