"""The California 2025 catalog: the facts the California rule sets rely on.

What every state catalog must carry is checked for all of them in ``test_state_catalogs.py``.
Here: a California industry sector on every CTE course; NCAA core never on CTE, PE, remedial or
below-Algebra-I courses; and the California-specific promises of the catalog header, which
rules/ca/2025/*.yaml depend on: uc-ag:honors exactly on the honors-level a-g courses (the
engine's honors cap reads the course level), the a-area history attributes only on a-list
courses, the d-discipline attributes only on d-list laboratory courses, every f course
year-long, and every e course on a language track.
"""

from __future__ import annotations

import pytest

from engine import Catalog, Knowledge
from engine.careers import CLUSTERS

AREAS = [f"uc-ag:{x}" for x in "abcdefg"]


@pytest.fixture(scope="module")
def catalog(kb: Knowledge) -> Catalog:
    found = kb.catalog_for("CA", 2025)
    assert found.id == "ca-2025"
    return found


def test_every_cte_course_names_one_national_cluster_and_a_california_sector(
    catalog: Catalog,
) -> None:
    for course in catalog.courses:
        clusters = [a.removeprefix("cte:") for a in course.attributes if a.startswith("cte:")]
        assert set(clusters) <= set(CLUSTERS), course.id
        if course.level == "cte":
            assert len(clusters) == 1, course.id
        if clusters:
            assert any(a.startswith("ca:sector-") for a in course.attributes), course.id
            assert any(a.startswith("pos:") for a in course.attributes), course.id


def test_ncaa_core_never_on_cte_pe_remedial_or_below_algebra_1(catalog: Catalog) -> None:
    for course in catalog.courses:
        core = [a for a in course.attributes if a.startswith("ncaa-core:")]
        if course.level in ("cte", "remedial") or course.subject in ("pe", "cte", "fine-arts"):
            assert not core, course.id
        if "ncaa-core:lab-science" in course.attributes:
            assert {"ncaa-core:science", "lab-science"} <= set(course.attributes), course.id
    by_id = {c.id: c for c in catalog.courses}
    for below in ("MATHFND", "ALGREADY"):
        assert "ncaa-core:math" not in by_id[below].attributes
        assert "ca:algebra-1-rigor" not in by_id[below].attributes
    assert "ncaa-core:math" in by_id["ALG1"].attributes


def test_uc_honors_is_exactly_the_honors_level_ag_courses(catalog: Catalog) -> None:
    """The UC/CSU honors point is given by course level (the engine's honors cap); uc-ag:honors
    must sit on exactly those courses, and each must be on the a-g list."""
    for course in catalog.courses:
        honors_level = course.level in ("honors", "ap", "ib", "dual_credit")
        assert honors_level == ("uc-ag:honors" in course.attributes), course.id
        if honors_level:
            assert any(a in course.attributes for a in AREAS), course.id


def test_area_attributes_sit_only_on_their_ag_list(catalog: Catalog) -> None:
    """The header's promises that uc-ag.yaml and csu-ag.yaml rely on."""
    for course in catalog.courses:
        attrs = set(course.attributes)
        areas = attrs & set(AREAS)
        assert len(areas) <= 1, course.id
        if attrs & {"ca:world-history", "ca:us-history", "ca:civics"}:
            assert "uc-ag:a" in attrs, course.id
        if any(a.startswith("ca:ag-d-") for a in attrs):
            assert {"uc-ag:d", "lab-science"} <= attrs, course.id
        if "uc-ag:d" in attrs:
            assert any(a.startswith("ca:ag-d-") for a in attrs), course.id
        if attrs & {"ca:ag-c-geometry", "ca:ag-c-advanced-algebra"}:
            assert "uc-ag:c" in attrs, course.id
        if "uc-ag:f" in attrs:
            assert course.credits == 1, course.id
            assert course.terms == ("year",), course.id
        if "uc-ag:e" in attrs:
            assert course.sequence is not None, course.id
