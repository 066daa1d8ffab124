"""The Texas 2025 catalog against what every state catalog must carry (issue 3), and against what
the Texas endorsement rules (19 TAC §74.13) need from it.

What is checked comes from the shared vocabulary (docs/vocabulary.md: the 16 National Career
Clusters, programs of study, Perkins V's two-course concentrator), from the §74.13 text (the
(e)(2) fourth-math list, the (f)(2) computer science list, the advanced CTE course of a coherent
sequence) and from ../shared/reference/data/sced_course_codes_sample.csv, never from the catalog
itself.
"""

from __future__ import annotations

from collections import Counter

import pytest

from engine import Course, Knowledge

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
REQUIRED_PROGRAMS = {
    "health-science",
    "nursing-science",
    "biomedical-science",
    "programming-software",
    "engineering",
    "business-management",
    "culinary-arts",
    "construction-trades",
    "automotive-technology",
    "law-enforcement",
    "digital-media",
}
# §74.13(g)(1) and (h)(1): the clusters whose final course earns each endorsement.
BUSINESS_INDUSTRY = {
    "agriculture",
    "architecture-construction",
    "arts-av-communications",
    "business-management",
    "finance",
    "hospitality-tourism",
    "information-technology",
    "manufacturing",
    "marketing",
    "transportation-logistics",
}
PUBLIC_SERVICES = {"education-training", "health-science", "law-public-safety"}
# The shared SCED sample's verified rows; the rows it marks UNSURE are left out of the catalog.
SCED_VERIFIED = {
    "01001", "01002", "01003", "01004", "01005", "01006", "01104", "01151", "02052", "03001",
    "03003", "03051", "03053", "03056", "03101", "03106", "03151", "03159", "03207", "14154",
    "17003", "21004", "21009",
}  # fmt: skip
SCED_UNSURE = {
    "02072", "02056", "02110", "04051", "04101", "04151", "04201", "08001", "24052",
}  # fmt: skip


@pytest.fixture(scope="module")
def courses(kb: Knowledge) -> tuple[Course, ...]:
    catalog = next(c for c in kb.catalogs["TX"] if c.id == "tx-2025")
    return catalog.courses


def with_attribute(courses: tuple[Course, ...], attribute: str) -> set[str]:
    return {c.id for c in courses if attribute in c.attributes}


def test_at_least_120_courses(courses: tuple[Course, ...]) -> None:
    assert len(courses) >= 120


def test_every_cte_course_names_one_national_cluster(courses: tuple[Course, ...]) -> None:
    cte = [c for c in courses if c.level == "cte"]
    assert len(cte) >= 40
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
    assert concentrations >= REQUIRED_PROGRAMS


def test_advanced_cte_courses_name_their_own_cluster(courses: tuple[Course, ...]) -> None:
    """§74.13(f)(1): an advanced CTE course is "the third or higher course in a sequence"; the
    rules read it per cluster, so the two tags must agree with the course's cluster."""
    for course in courses:
        advanced = [a for a in course.attributes if a.startswith("tx:cte-advanced:")]
        if "tx:cte-advanced" in course.attributes or advanced:
            assert [f"tx:cte-advanced:{a.removeprefix('cte:')}" for a in course.attributes
                    if a.startswith("cte:")] == advanced, course.id  # fmt: skip


def test_each_endorsement_cluster_offers_a_two_course_sequence_with_an_advanced_course(
    courses: tuple[Course, ...],
) -> None:
    """(f)(1), (g)(1), (h)(1): a student can build "at least two courses in the same career
    cluster including at least one advanced CTE course" in STEM, in several Business and Industry
    clusters and in several Public Services clusters."""

    def buildable(cluster: str) -> bool:
        in_cluster = with_attribute(courses, f"cte:{cluster}")
        return len(in_cluster) >= 2 and bool(with_attribute(courses, f"tx:cte-advanced:{cluster}"))

    assert buildable("stem")
    assert sum(buildable(c) for c in BUSINESS_INDUSTRY) >= 8
    assert all(buildable(c) for c in PUBLIC_SERVICES)


def test_the_section_74_13_course_lists(courses: tuple[Course, ...]) -> None:
    """(e)(2) fourth math: Algebra II, Precalculus, AQR, Discrete Mathematics for Problem Solving,
    Algebraic Reasoning, Statistics, AP math, AP CS A, Engineering Mathematics, Mathematics for
    Medical Professionals, Discrete Mathematics for Computer Science; Mathematical Models with
    Applications is not on it. (f)(2): four credits of computer science are on offer."""
    fourth = with_attribute(courses, "tx:math-4th-credit")
    assert {
        "ALG2", "PRECAL", "AQR", "DISCRETE", "ALGREAS", "STATS", "APCALCAB", "APSTAT", "APCSA",
        "ENGMATH", "MEDMATH", "DMCS",
    } <= fourth  # fmt: skip
    assert "MATHMOD" not in fourth
    computer_science = [c for c in courses if "tx:stem-computer-science" in c.attributes]
    assert sum(c.credits for c in computer_science) >= 4
    after_alg2 = with_attribute(courses, "tx:after-algebra-ii")
    assert {"PRECAL", "APCALCAB"} <= after_alg2
    assert not {"ALG1", "GEOM", "ALG2", "STATS", "ALGREAS"} & after_alg2


def test_sced_codes_are_only_verified_ones(courses: tuple[Course, ...]) -> None:
    coded = {c.id: c.sced for c in courses if c.sced is not None}
    for course_id, code in coded.items():
        assert code in SCED_VERIFIED, (course_id, code)
        assert code not in SCED_UNSURE, (course_id, code)
    assert len(set(coded.values())) == len(coded), "one SCED code names one course here"


def test_ncaa_core_excludes_cte_pe_and_remedial(courses: tuple[Course, ...]) -> None:
    """No PE, remedial, fine arts or CTE course is core; the exception is a CTE course that earns a
    state science credit (Anatomy and Physiology, Forensic Science), which this school's list
    carries, as many Texas lists do."""
    for course in courses:
        core = [a for a in course.attributes if a.startswith("ncaa-core:")]
        cte_not_science = course.level == "cte" and course.subject != "science"
        if (
            cte_not_science
            or course.level == "remedial"
            or course.subject in ("pe", "cte", "fine-arts")
        ):
            assert not core, course.id
        if "ncaa-core:lab-science" in core:
            assert "ncaa-core:science" in core, course.id
