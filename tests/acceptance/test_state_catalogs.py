"""What every state catalog must carry (issue 3, item 3), checked on each bundled catalog.

At least 120 courses; a national career cluster on every CTE course; programs of study from the
shared vocabulary with a Perkins V concentrator sequence (2 courses) for at least 10 of them,
including the ones the issue names; SCED codes only from the verified reference rows, one code
per course; an NCAA lab science is also an NCAA science. Checks that belong to one state (its
own attributes and rules) stay in ``test_<state>_catalog.py``.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from engine import Catalog, Knowledge
from engine.careers import CLUSTERS, PROGRAMS

ROOT = Path(__file__).resolve().parents[2]
SCED_SAMPLE = ROOT.parent / "shared" / "reference" / "data" / "sced_course_codes_sample.csv"
CATALOGS = [("TX", 2025, "tx-2025"), ("CA", 2025, "ca-2025"), ("WA", 2025, "wa-2025")]
CATALOGS += [("NY", 2025, "ny-2025"), ("FL", 2023, "fl-2023")]
NAMED_PROGRAMS = {
    "programming-software",
    "engineering",
    "business-management",
    "culinary-arts",
    "construction-trades",
    "automotive-technology",
    "law-enforcement",
    "digital-media",
}
HEALTH_PROGRAMS = {"health-science", "nursing-science", "biomedical-science"}
#: Each catalog's own floor of CTE courses, as its author set it (20 where none was set).
MIN_CTE = {"tx-2025": 40, "wa-2025": 30, "ny-2025": 30}
VOCABULARY = {program for programs in PROGRAMS.values() for program in programs}


@pytest.fixture(scope="module", params=CATALOGS, ids=[c[2] for c in CATALOGS])
def catalog(request: pytest.FixtureRequest, kb: Knowledge) -> Catalog:
    jurisdiction, year, catalog_id = request.param
    found = kb.catalog_for(jurisdiction, year)
    assert found.id == catalog_id
    return found


def test_at_least_120_courses(catalog: Catalog) -> None:
    assert len(catalog.courses) >= 120


def test_every_cte_course_names_one_national_cluster(catalog: Catalog) -> None:
    cte = [c for c in catalog.courses if c.level == "cte" or c.subject == "cte"]
    assert len(cte) >= MIN_CTE.get(catalog.id, 20)
    for course in catalog.courses:
        clusters = [a.removeprefix("cte:") for a in course.attributes if a.startswith("cte:")]
        assert set(clusters) <= set(CLUSTERS), course.id
        if course in cte:
            assert len(clusters) == 1, course.id


def test_programs_of_study_have_a_concentrator_sequence(catalog: Catalog) -> None:
    """Perkins V: a concentrator completes at least 2 courses in one program of study."""
    per_program = Counter(
        a.removeprefix("pos:")
        for c in catalog.courses
        for a in c.attributes
        if a.startswith("pos:")
    )
    assert set(per_program) <= VOCABULARY, set(per_program) - VOCABULARY
    concentrations = {p for p, n in per_program.items() if n >= 2}
    assert len(concentrations) >= 10
    assert concentrations >= NAMED_PROGRAMS
    assert concentrations & HEALTH_PROGRAMS
    for course in catalog.courses:
        if any(a.startswith("pos:") for a in course.attributes):
            assert any(a.startswith("cte:") for a in course.attributes), course.id


def test_sced_codes_are_only_verified_ones(catalog: Catalog) -> None:
    with SCED_SAMPLE.open(newline="", encoding="utf-8") as handle:
        verified = {r["sced_code"] for r in csv.DictReader(handle) if r["status"] == "verified"}
    coded = {c.id: c.sced for c in catalog.courses if c.sced is not None}
    assert coded
    for course_id, code in coded.items():
        assert code in verified, (course_id, code)
    assert len(set(coded.values())) == len(coded), "one SCED code names one course here"


def test_an_ncaa_lab_science_is_also_an_ncaa_science(catalog: Catalog) -> None:
    for course in catalog.courses:
        if "ncaa-core:lab-science" in course.attributes:
            assert "ncaa-core:science" in course.attributes, course.id
