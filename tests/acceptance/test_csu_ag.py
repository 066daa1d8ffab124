"""California State University a-g minimum eligibility (csu-ag, csu-ag-nonresident), 2025.

Written from ``../shared/reference/published-rules.md`` §2, "Checklist: CSU (same 15-unit a-g
pattern), with these differences" and ``rule_params.json`` "csu_ag": the a-g years of UC (a 2,
b 4, c 3, d 2, e 2, f 1, g 1) with C or better, but a = 1 year of U.S. history (or 1/2 U.S.
history + 1/2 civics) plus 1 year of social science from area a or g (no world history), d = 1
biological + 1 physical laboratory science, no "11 before senior year" rule; a-g GPA at least
2.50 for residents, where 2.00-2.49 gets a supplemental-factor review rather than a verdict, and
3.00 for nonresidents.

The rule file shows the review band as ``gpa`` (2.50) not met with ``gpa_review_band`` (2.00)
met; the tests check exactly that. Courses are those of catalogs/ca/2025/courses.yaml (credits
are years). Grades are whole letters; only unweighted grades are used for the GPA (reference).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

Row = dict[str, Any]


def take(course: str, level: int, grade: str | None = "B", **extra: Any) -> Row:
    """One year-long transcript row (graded B unless told)."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


# The 15 a-g years, all B. The g year is Earth Science in grade 9, so the a-g grades after grade
# 9 are exactly ten: WHIST, ENG2, GEOM, CHEM, SPAN2 (10); USHIST, ENG3, ALG2, ART1 (11); ENG4 (12).
COMPLETE: dict[str, list[Row]] = {
    "a": [take("WHIST", 10), take("USHIST", 11)],
    "b": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12)],
    "c": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11)],
    "d": [take("BIO", 9), take("CHEM", 10)],
    "e": [take("SPAN1", 9), take("SPAN2", 10)],
    "f": [take("ART1", 11)],
    "g": [take("EARTHSCI", 9)],
    "other": [take("PE9", 9, "A"), take("PE2", 10, "A")],
}

AREAS = ("area_a", "area_b", "area_c", "area_d", "area_e", "area_f", "area_g")


def transcript(**areas: list[Row]) -> list[Row]:
    """The complete transcript with some areas' rows replaced."""
    unknown = set(areas) - set(COMPLETE)
    assert not unknown, unknown
    return [row for area, rows in COMPLETE.items() for row in areas.get(area, rows)]


def graded(grades: str) -> list[Row]:
    """The ten post-grade-9 rows of COMPLETE with these letters, in the order listed above."""
    order = ["WHIST", "ENG2", "GEOM", "CHEM", "SPAN2", "USHIST", "ENG3", "ALG2", "ART1", "ENG4"]
    letters = dict(zip(order, grades, strict=True))
    return [
        {**row, "grade": letters.get(row["course"], row["grade"])}
        for rows in COMPLETE.values()
        for row in rows
    ]


def run(kb: Knowledge, rows: Sequence[Row], goal: str = "csu-ag") -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-CSUAG",
            "jurisdiction": "CA",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
        }
    )
    result = audit(knowledge=kb, student=student, goals=[goal])
    assert not result.unrecognized, result.unrecognized
    return result.goals[0]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def gpa(goal: GoalResult) -> float:
    value = requirement(goal, "gpa").value
    assert value is not None
    return value


def truncated(value: float) -> float:
    """A GPA as reported: to three decimals, never rounded up (published-rules.md conventions)."""
    return math.floor(value * 1000 + 1e-9) / 1000


def test_fifteen_courses_all_b_is_met(kb: Knowledge) -> None:
    """The 15-unit pattern with C or better and an a-g GPA of 3.00 (at least 2.50)."""
    goal = run(kb, transcript())
    for r in goal.requirements:
        assert r.status == "met", r.name
    assert goal.status == "met"
    assert gpa(goal) == pytest.approx(3.0)


def test_exactly_2_50_is_met(kb: Knowledge) -> None:
    """ "2.50 or greater a-g GPA": five Bs and five Cs after grade 9 = 25/10 = 2.50."""
    goal = run(kb, graded("BBBBBCCCCC"))
    assert gpa(goal) == pytest.approx(2.5)
    assert requirement(goal, "gpa").status == "met"
    assert goal.status == "met"


def test_2_40_falls_in_the_supplemental_review_band(kb: Knowledge) -> None:
    """Residents with 2.00-2.49 "may be evaluated ... based upon supplemental factors": 24/10 =
    2.40 is not eligibility (gpa not met, goal not met) but is inside the review band."""
    goal = run(kb, graded("BBBBCCCCCC"))
    assert gpa(goal) == pytest.approx(2.4)
    assert requirement(goal, "gpa").status == "unmet"
    assert requirement(goal, "gpa_review_band").status == "met"
    for area in AREAS:
        assert requirement(goal, area).status == "met", area
    assert goal.status == "unmet"


def test_exactly_2_00_is_the_bottom_of_the_review_band(kb: Knowledge) -> None:
    """All Cs: 2.00, the lowest GPA of the 2.00-2.49 band."""
    goal = run(kb, graded("CCCCCCCCCC"))
    assert requirement(goal, "gpa").status == "unmet"
    assert requirement(goal, "gpa_review_band").status == "met"


def test_below_2_00_is_outside_the_review_band(kb: Knowledge) -> None:
    """All Cs plus an extra a-g course with a D (D grades count in the GPA): 21/11 = 1.909,
    below the band; every area is still complete with C or better."""
    rows = [*graded("CCCCCCCCCC"), take("APHUG", 11, "D")]
    goal = run(kb, rows)
    assert gpa(goal) == pytest.approx(truncated(21 / 11))
    assert requirement(goal, "gpa").status == "unmet"
    assert requirement(goal, "gpa_review_band").status == "unmet"
    for area in AREAS:
        assert requirement(goal, area).status == "met", area


def test_world_history_is_not_required(kb: Knowledge) -> None:
    """a: "1 yr U.S. history ... plus 1 yr social science from area a or g. World history is not
    required": AP Human Geography (g) as the second year meets CSU's a, not UC's."""
    rows = transcript(a=[take("APHUG", 10), take("USHIST", 11)])
    assert requirement(run(kb, rows), "area_a").status == "met"
    assert requirement(run(kb, rows, "uc-ag"), "area_a").status == "unmet"


def test_history_needs_us_history(kb: Knowledge) -> None:
    """a: "1 yr U.S. history (or 1/2 U.S. history + 1/2 civics)": a semester of civics alone with
    two years of world history is not enough."""
    rows = transcript(
        a=[take("WHIST", 10), take("APWORLD", 11), take("AMGOV", 12, term="fall")],
    )
    assert requirement(run(kb, rows), "area_a").status == "unmet"


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param([take("BIO", 9), take("CHEM", 10)], "met", id="biology-chemistry"),
        pytest.param([take("LIVEARTH", 9), take("PHYS", 11)], "met", id="living-earth-physics"),
        pytest.param([take("BIO", 9), take("ANATPHYS", 11)], "unmet", id="no-physical"),
        pytest.param([take("CHEM", 10), take("PHYS", 11)], "unmet", id="no-biological"),
        pytest.param([take("BIO", 9), take("PHYSSCI", 10)], "unmet", id="physical-science-is-g"),
    ],
)
def test_lab_science_one_biological_one_physical(
    kb: Knowledge, rows: list[Row], status: str
) -> None:
    """d: "2 yr lab science: 1 biological + 1 physical" (Chemistry and Physics together meet
    UC's two disciplines but not CSU's). Lower-level Physical Science is on the g list."""
    goal = run(kb, transcript(d=rows, g=[take("PRECALC", 12)]))
    assert requirement(goal, "area_d").status == status


def test_no_eleven_before_senior_year_rule(kb: Knowledge) -> None:
    """ "CSU publishes no '11 before senior year' rule": Chemistry, Spanish 2, Art 1 and the g
    course (Precalculus) in grade 12, 10 courses before it, still meet CSU, though not UC."""
    rows = transcript(
        d=[take("BIO", 9), take("CHEM", 12)],
        e=[take("SPAN1", 9), take("SPAN2", 12)],
        f=[take("ART1", 12)],
        g=[take("PRECALC", 12)],
    )
    assert run(kb, rows).status == "met"
    uc = run(kb, rows, "uc-ag")
    assert requirement(uc, "before_senior_year").status == "unmet"


def test_a_d_in_an_area_course_does_not_count(kb: Knowledge) -> None:
    """ "A grade of C or better is required for each course": English 11 with a D leaves English
    at 3 years."""
    rows = transcript(
        b=[take("ENG1", 9), take("ENG2", 10), take("ENG3", 11, "D"), take("ENG4", 12)],
    )
    goal = run(kb, rows)
    assert requirement(goal, "area_b").status == "unmet"
    assert goal.status == "unmet"


def test_nonresident_needs_3_00_and_has_no_review_band(kb: Knowledge) -> None:
    """ "Nonresidents need at least 3.00": all Bs (3.00) is met; one C (29/10 = 2.90) is not,
    and the nonresident set has no supplemental-review band."""
    assert run(kb, transcript(), "csu-ag-nonresident").status == "met"
    goal = run(kb, graded("BBBBBBBBBC"), "csu-ag-nonresident")
    assert gpa(goal) == pytest.approx(2.9)
    assert requirement(goal, "gpa").status == "unmet"
    assert all(r.name != "gpa_review_band" for r in goal.requirements)
    assert run(kb, graded("BBBBBBBBBC")).status == "met"
