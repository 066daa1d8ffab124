"""California state minimum graduation requirements (ca-grad), 2025 catalog.

Written from California Education Code §51225.3(a)(1)(A)-(F) as the California Department of
Education restates it ("State Minimum High School Graduation Requirements", cde.ca.gov/ci/gs/hs/
hsgrmin.asp) and §51224.5(b): while in grades 9 to 12, each course a year unless otherwise
specified,
- (A) three courses in English;
- (B) two courses in mathematics, including one year of Algebra I (§51224.5(b): at least one
  course, or the two together, meeting or exceeding the rigor of Algebra I or Mathematics I);
- (C) two courses in science, including biological and physical sciences;
- (D) three courses in social studies, including U.S. history and geography; world history,
  culture, and geography; a one-semester course in American government and civics; and a
  one-semester course in economics;
- (E) one course in visual or performing arts, world language (American Sign Language counts),
  or career technical education;
- (F) two courses in physical education.

Courses are those of catalogs/ca/2025/courses.yaml; credits are years (0.5 = a semester).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

GOAL = "ca-grad"
AREAS = ("english", "math", "science", "social_studies", "arts_language_cte", "pe")

Row = dict[str, Any]


def take(course: str, level: int, grade: str = "C", **extra: Any) -> Row:
    """One year-long transcript row (graded C unless told)."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


# Exactly the state minimum, (A) to (F): 13 years of courses.
COMPLETE: dict[str, list[Row]] = {
    "english": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11)],
    "math": [take("ALG1", 9), take("GEOM", 10)],
    "science": [take("BIO", 9), take("CHEM", 10)],
    "social_studies": [
        take("WHIST", 10),
        take("USHIST", 11),
        take("AMGOV", 12, term="fall"),
        take("ECON", 12, term="spring"),
    ],
    "arts_language_cte": [take("ART1", 9)],
    "pe": [take("PE9", 9), take("PE2", 10)],
}


def transcript(**areas: list[Row]) -> list[Row]:
    """The complete transcript with some areas' rows replaced."""
    unknown = set(areas) - set(COMPLETE)
    assert not unknown, unknown
    return [row for area, rows in COMPLETE.items() for row in areas.get(area, rows)]


def run(kb: Knowledge, rows: Sequence[Row]) -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-CAGRAD",
            "jurisdiction": "CA",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
        }
    )
    result = audit(knowledge=kb, student=student, goals=[GOAL])
    assert not result.unrecognized, result.unrecognized
    return result.goals[0]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def test_the_state_minimum_is_met(kb: Knowledge) -> None:
    """(A)-(F) at their minimums, all with C grades."""
    goal = run(kb, transcript())
    for name in AREAS:
        assert requirement(goal, name).status == "met", name
    assert goal.status == "met"


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param(COMPLETE["english"], "met", id="three-years"),
        pytest.param(
            [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11, "D")], "met", id="d-passes"
        ),
        pytest.param(
            [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11, "F")], "unmet", id="f-fails"
        ),
        pytest.param([take("ENG1", 9), take("ENG2", 10)], "unmet", id="two-years"),
        pytest.param(
            [
                take("ENG1", 9),
                take("ENG2", 10),
                take("SPEECH", 11, term="fall"),
            ],
            "unmet",
            id="two-and-a-half-years",
        ),
    ],
)
def test_english_three_courses(kb: Knowledge, rows: list[Row], status: str) -> None:
    """(A) "Three courses in English", each a year; a D earns the course (the state sets no
    higher minimum), an F does not."""
    goal = run(kb, transcript(english=rows))
    assert requirement(goal, "english").status == status
    assert goal.status == status


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param([take("ALG1", 9), take("GEOM", 10)], "met", id="algebra-i-geometry"),
        pytest.param([take("MATHFND", 9), take("ALG1", 10)], "met", id="foundations-then-alg1"),
        pytest.param([take("IM1", 9), take("IM2", 10)], "met", id="integrated-math"),
        pytest.param(
            [take("MATHFND", 9), take("GEOM", 10)], "met", id="geometry-exceeds-algebra-i-rigor"
        ),
        pytest.param(
            [take("MATHFND", 9), take("ALGREADY", 10)], "unmet", id="two-years-below-algebra-i"
        ),
        pytest.param([take("ALG1", 9)], "unmet", id="one-year"),
    ],
)
def test_mathematics_two_courses_including_algebra_i(
    kb: Knowledge, rows: list[Row], status: str
) -> None:
    """(B) "Two courses in mathematics, including one year of Algebra I" and §51224.5(b): one
    course "that meets or exceeds the rigor of Algebra I or Mathematics I"."""
    goal = run(kb, transcript(math=rows))
    assert requirement(goal, "math").status == status


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param([take("BIO", 9), take("CHEM", 10)], "met", id="biology-chemistry"),
        pytest.param([take("LIVEARTH", 9), take("EARTHSCI", 10)], "met", id="living-earth-earth"),
        pytest.param([take("BIO", 9), take("ANATPHYS", 11)], "unmet", id="no-physical"),
        pytest.param([take("CHEM", 10), take("PHYS", 11)], "unmet", id="no-biological"),
        pytest.param([take("BIO", 9)], "unmet", id="one-year"),
    ],
)
def test_science_biological_and_physical(kb: Knowledge, rows: list[Row], status: str) -> None:
    """(C) "Two courses in science, including biological and physical sciences"."""
    goal = run(kb, transcript(science=rows))
    assert requirement(goal, "science").status == status


def _social(*replace: Row, drop: str = "") -> list[Row]:
    rows = [r for r in COMPLETE["social_studies"] if r["course"] != drop]
    return [*rows, *replace]


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param(COMPLETE["social_studies"], "met", id="all-four"),
        pytest.param(
            _social(take("APMACRO", 12, term="spring"), drop="ECON"), "met", id="ap-macro-econ"
        ),
        pytest.param(_social(drop="ECON"), "unmet", id="no-economics"),
        pytest.param(_social(drop="AMGOV"), "unmet", id="no-government"),
        pytest.param(
            _social(take("APHUG", 10), drop="WHIST"), "unmet", id="geography-is-not-world-history"
        ),
        pytest.param(
            _social(take("PSYCH", 12, term="fall"), drop="AMGOV"),
            "unmet",
            id="psychology-is-not-civics",
        ),
    ],
)
def test_social_studies(kb: Knowledge, rows: list[Row], status: str) -> None:
    """(D) "U.S. history and geography; world history, culture, and geography; a one-semester
    course in American government and civics; and a one-semester course in economics"."""
    goal = run(kb, transcript(social_studies=rows))
    assert requirement(goal, "social_studies").status == status


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param([take("ART1", 9)], "met", id="visual-art"),
        pytest.param([take("CHOIR", 9)], "met", id="music"),
        pytest.param([take("SPAN1", 9)], "met", id="world-language"),
        pytest.param([take("ASL1", 9)], "met", id="american-sign-language"),
        pytest.param([take("CULIN1", 9)], "met", id="career-technical-education"),
        pytest.param([take("AUTO1", 10)], "met", id="cte-automotive"),
        pytest.param([take("PSYCH", 10, term="fall")], "unmet", id="psychology"),
        pytest.param([], "unmet", id="none"),
    ],
)
def test_arts_world_language_or_cte(kb: Knowledge, rows: list[Row], status: str) -> None:
    """(E) "One course in visual or performing arts, world language, or ... career technical
    education. ... a course in American Sign Language shall be deemed a course in foreign
    language"."""
    goal = run(kb, transcript(arts_language_cte=rows))
    assert requirement(goal, "arts_language_cte").status == status
    assert goal.status == status


def test_physical_education_two_courses(kb: Knowledge) -> None:
    """(F) "Two courses in physical education": one year is not enough."""
    goal = run(kb, transcript(pe=[take("PE9", 9)]))
    assert requirement(goal, "pe").status == "unmet"
    assert goal.status == "unmet"


def test_in_progress_senior_courses_are_in_progress(kb: Knowledge) -> None:
    """A senior with government and economics still to finish is on track, not done."""
    rows = _social(
        {"course": "AMGOV", "grade_level": 12, "term": "fall", "status": "in_progress"},
        {"course": "ECON", "grade_level": 12, "term": "spring", "status": "planned"},
        drop="AMGOV",
    )
    rows = [r for r in rows if not (r["course"] == "ECON" and r.get("grade"))]
    goal = run(kb, transcript(social_studies=rows))
    assert requirement(goal, "social_studies").status == "in_progress"
    assert goal.status == "in_progress"
