"""The Washington 2025 catalog: what the 24-credit framework relies on.

What every state catalog must carry is checked for all of them in ``test_state_catalogs.py``.
Here, from the shared vocabulary (NCAA core attributes) and the framework: every CTE course earns
the CTE credit; Washington State History; never from the catalog itself.
"""

from __future__ import annotations

import pytest

from engine import Course, Knowledge
from engine.careers import CLUSTERS

# docs/vocabulary.md, "cte:<cluster>": the 16 National Career Clusters (2002-2024 framework).
NOT_NCAA_CORE_SUBJECTS = {"cte", "health-fitness", "arts", "elective"}


@pytest.fixture(scope="module")
def courses(kb: Knowledge) -> tuple[Course, ...]:
    catalog = next(c for c in kb.catalogs["WA"] if c.id == "wa-2025")
    return catalog.courses


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
