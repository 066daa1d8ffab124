"""The Florida 2023 catalog against what every state catalog must carry (issue 3).

Checked through the public ``load_knowledge``: at least 120 courses; the shared vocabulary's
programs of study (Perkins V concentrator: two courses in one program) for at least 10 programs,
including the ten the issue names; a career cluster on every CTE course; NCAA core attributes
never on CTE, PE, remedial or below-Algebra-1 courses; SCED codes only from the verified
reference rows; Florida course numbers only in the 7-digit form the header documents.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from engine import Catalog, Knowledge

ROOT = Path(__file__).resolve().parents[2]
SCED_SAMPLE = ROOT.parent / "shared" / "reference" / "data" / "sced_course_codes_sample.csv"

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


@pytest.fixture(scope="module")
def catalog(kb: Knowledge) -> Catalog:
    found = kb.catalog_for("FL", 2023)
    assert found.id == "fl-2023"
    return found


def test_at_least_120_courses(catalog: Catalog) -> None:
    assert len(catalog.courses) >= 120


def test_ten_programs_of_study_with_two_courses_each(catalog: Catalog) -> None:
    programs = Counter(
        a.removeprefix("pos:")
        for c in catalog.courses
        for a in c.attributes
        if a.startswith("pos:")
    )
    concentrator_ready = {p for p, n in programs.items() if n >= 2}
    assert len(concentrator_ready) >= 10
    assert concentrator_ready >= NAMED_PROGRAMS
    assert concentrator_ready & HEALTH_PROGRAMS


def test_every_cte_course_names_one_national_cluster(catalog: Catalog) -> None:
    for course in catalog.courses:
        clusters = [a.removeprefix("cte:") for a in course.attributes if a.startswith("cte:")]
        if course.level == "cte":
            assert len(clusters) == 1, course.id
        assert set(clusters) <= CLUSTERS, course.id


def test_ncaa_core_never_on_cte_pe_remedial_or_below_algebra_1(catalog: Catalog) -> None:
    for course in catalog.courses:
        core = [a for a in course.attributes if a.startswith("ncaa-core:")]
        if course.level in ("cte", "remedial") or course.subject in ("pe", "cte"):
            assert not core, course.id
    by_id = {c.id: c for c in catalog.courses}
    assert not [a for a in by_id["ALG1A"].attributes if a.startswith("ncaa-core:")]
    assert "ncaa-core:math" in by_id["ALG1"].attributes


def test_a_lab_science_is_also_an_ncaa_science(catalog: Catalog) -> None:
    for course in catalog.courses:
        if "ncaa-core:lab-science" in course.attributes:
            assert "ncaa-core:science" in course.attributes, course.id
            assert "lab-science" in course.attributes, course.id


def test_sced_codes_are_only_verified_reference_codes(catalog: Catalog) -> None:
    with SCED_SAMPLE.open(newline="") as handle:
        verified = {
            row["sced_code"] for row in csv.DictReader(handle) if row["status"] == "verified"
        }
    used = {c.sced for c in catalog.courses if c.sced is not None}
    assert used
    assert used <= verified, used - verified


def test_florida_course_numbers_are_seven_digits_and_unique(catalog: Catalog) -> None:
    numbers = [
        a.removeprefix("fl:ccd:")
        for c in catalog.courses
        for a in c.attributes
        if a.startswith("fl:ccd:")
    ]
    assert numbers
    assert all(re.fullmatch(r"\d{7}", n) for n in numbers), numbers
    assert len(numbers) == len(set(numbers))


def test_online_sections_are_marked_and_mirror_a_classroom_course(catalog: Catalog) -> None:
    """Each "-V" (FLVS) entry carries fl:online and fills the same requirement slot as its
    classroom twin, so a diploma rule treats the two alike."""
    by_id = {c.id: c for c in catalog.courses}
    online = [c for c in catalog.courses if "fl:online" in c.attributes]
    assert {c.id for c in online} == {c.id for c in catalog.courses if c.id.endswith("-V")}
    assert online
    for course in online:
        twin = by_id[course.id.removesuffix("-V")]
        assert course.credits == twin.credits, course.id
        assert set(course.attributes) - {"fl:online"} == set(twin.attributes), course.id
