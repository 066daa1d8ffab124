"""The Texas 2025 catalog against what the Texas endorsement rules (19 TAC §74.13) need from it.

What every state catalog must carry is checked for all of them in ``test_state_catalogs.py``.
Here, from the §74.13 text (the (e)(2) fourth-math list, the (f)(2) computer science list, the
advanced CTE course of a coherent sequence), never from the catalog itself.
"""

from __future__ import annotations

import pytest

from engine import Course, Knowledge

# §74.13(f)(2)(A) and (f)(3)(A): the clusters whose final course earns each endorsement.
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


@pytest.fixture(scope="module")
def courses(kb: Knowledge) -> tuple[Course, ...]:
    catalog = next(c for c in kb.catalogs["TX"] if c.id == "tx-2025")
    return catalog.courses


def with_attribute(courses: tuple[Course, ...], attribute: str) -> set[str]:
    return {c.id for c in courses if attribute in c.attributes}


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
