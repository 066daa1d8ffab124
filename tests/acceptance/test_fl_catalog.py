"""The Florida 2023 catalog: what the Florida diploma relies on.

What every state catalog must carry is checked for all of them in ``test_state_catalogs.py``.
Here: NCAA core attributes never on CTE, PE, remedial or below-Algebra-1 courses; Florida course
numbers only in the 7-digit form the header documents; online sections.
"""

from __future__ import annotations

import re

import pytest

from engine import Catalog, Knowledge


@pytest.fixture(scope="module")
def catalog(kb: Knowledge) -> Catalog:
    found = kb.catalog_for("FL", 2023)
    assert found.id == "fl-2023"
    return found


def test_ncaa_core_never_on_cte_pe_remedial_or_below_algebra_1(catalog: Catalog) -> None:
    for course in catalog.courses:
        core = [a for a in course.attributes if a.startswith("ncaa-core:")]
        if course.level in ("cte", "remedial") or course.subject in ("pe", "cte"):
            assert not core, course.id
    by_id = {c.id: c for c in catalog.courses}
    assert not [a for a in by_id["ALG1A"].attributes if a.startswith("ncaa-core:")]
    assert "ncaa-core:math" in by_id["ALG1"].attributes


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
