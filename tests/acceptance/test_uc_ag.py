"""University of California A-G minimum eligibility (uc-ag, uc-ag-nonresident), 2025 catalog.

Written from ``../shared/reference/published-rules.md`` §2, "Checklist: UC minimum eligibility"
(UC Admissions, First-year requirements) and ``rule_params.json`` "uc_ag": areas a 2, b 4, c 3,
d 2, e 2, f 1, g 1 years (15), every course C or better, at least 11 of them before grade 12,
and a GPA of at least 3.00 (3.40 nonresident) over a-g grades from grades 10-11, with honors
weighting capped at 8 semesters, no more than 4 of them from grade 10.

Courses are those of catalogs/ca/2025/courses.yaml, where credits are years (1 = a year-long
course). Grades are whole letters (the reference: avoid C- in tests).
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


# The 15 a-g years, area by area, all B; 13 of them before grade 12. Grades 10-11 hold 9 a-g
# courses (WHIST, ENG2, GEOM, CHEM, SPAN2; USHIST, ENG3, ALG2, ART1): GPA exactly 3.00.
COMPLETE: dict[str, list[Row]] = {
    "a": [take("WHIST", 10), take("USHIST", 11)],
    "b": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12)],
    "c": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11)],
    "d": [take("BIO", 9), take("CHEM", 10)],
    "e": [take("SPAN1", 9), take("SPAN2", 10)],
    "f": [take("ART1", 11)],
    "g": [take("PHYS", 12)],
    "other": [take("PE9", 9, "A"), take("PE2", 10, "A")],
}


def transcript(**areas: list[Row]) -> list[Row]:
    """The complete transcript with some areas' rows replaced."""
    unknown = set(areas) - set(COMPLETE)
    assert not unknown, unknown
    return [row for area, rows in COMPLETE.items() for row in areas.get(area, rows)]


def run(kb: Knowledge, rows: Sequence[Row], goal: str = "uc-ag") -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-UCAG",
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


def test_fifteen_courses_all_b_is_met_at_exactly_3_00(kb: Knowledge) -> None:
    """Checklist 1-3: the 15 a-g years with C or better, 11+ before grade 12, and a GPA of 3.00
    (the minimum itself: "3.0 or better")."""
    goal = run(kb, transcript())
    for r in goal.requirements:
        assert r.status == "met", r.name
    assert goal.status == "met"
    assert gpa(goal) == pytest.approx(3.0)


def test_one_c_in_grades_10_11_puts_gpa_just_under_3_00(kb: Knowledge) -> None:
    """Checklist 3: with one grade-10/11 course at C instead of B, the GPA is 26/9 = 2.89: every
    course is still C or better, so only the GPA falls short."""
    goal = run(kb, transcript(a=[take("WHIST", 10, "C"), take("USHIST", 11)]))
    assert gpa(goal) == pytest.approx(truncated(26 / 9))
    assert requirement(goal, "gpa").status == "unmet"
    assert requirement(goal, "area_a").status == "met"
    assert goal.status == "unmet"


def test_grades_9_and_12_are_not_in_the_gpa(kb: Knowledge) -> None:
    """Checklist 3: "The GPA uses A-G grades from grades 10-11": C grades in grade 9 and grade 12
    courses leave the 3.00 untouched."""
    rows = transcript(
        b=[take("ENG1", 9, "C"), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12, "C")],
    )
    goal = run(kb, rows)
    assert gpa(goal) == pytest.approx(3.0)
    assert goal.status == "met"


def test_an_ap_course_graded_c_earns_the_honors_point(kb: Knowledge) -> None:
    """Checklist 3: honors-weighted: AP U.S. History at C counts as 3 points per semester, so the
    transcript with one C is back to exactly 3.00."""
    goal = run(kb, transcript(a=[take("WHIST", 10), take("APUSH", 11, "C")]))
    assert gpa(goal) == pytest.approx(3.0)
    assert requirement(goal, "gpa").status == "met"
    assert goal.status == "met"


def test_no_more_than_4_honors_semesters_from_grade_10(kb: Knowledge) -> None:
    """Checklist 3: "at most 8 honors semesters, at most 4 of them from grade 10". Three year-long
    AP courses in grade 10 graded C (6 semesters) earn only 4 honors points: (30 + 2) / 11 = 2.91,
    not the uncapped (30 + 3) / 11 = 3.00."""
    rows = transcript(
        a=[take("APWORLD", 10, "C"), take("USHIST", 11)],
        g=[take("APHUG", 10, "C"), take("APEURO", 10, "C")],
    )
    goal = run(kb, rows)
    assert gpa(goal) == pytest.approx(truncated(32 / 11))
    assert requirement(goal, "gpa").status == "unmet"


def test_no_more_than_8_honors_semesters_in_all(kb: Knowledge) -> None:
    """Checklist 3: the 8-semester cap. Six year-long AP courses graded C in grade 11 are 12
    honors semesters; only 8 earn the point. Grades 10-11: six Bs and six Cs, 30 points over 12
    courses, + 4 honors points = 34/12 = 2.833, short of 3.00 (uncapped: 36/12 = 3.00)."""
    rows = transcript(
        a=[take("WHIST", 10), take("APUSH", 11, "C")],
        b=[take("ENG1", 9), take("ENG2", 10), take("APLANG", 11, "C"), take("ENG4", 12)],
        c=[take("ALG1", 9), take("GEOM", 10), take("ALG2", 11)],
        g=[take("APCSP", 11, "C"), take("APPSYCH", 11, "C"), take("APEURO", 11, "C")],
        f=[take("APARTHIST", 11, "C")],
    )
    goal = run(kb, rows)
    assert gpa(goal) == pytest.approx(truncated(34 / 12))
    assert requirement(goal, "gpa").status == "unmet"


def test_a_d_in_an_area_course_does_not_count(kb: Knowledge) -> None:
    """Checklist 1: "all C or better": Algebra II passed with a D leaves mathematics at 2 years
    and advanced algebra missing."""
    goal = run(kb, transcript(c=[take("ALG1", 9), take("GEOM", 10), take("ALG2", 11, "D")]))
    assert requirement(goal, "area_c").status == "unmet"
    assert goal.status == "unmet"


def test_mathematics_must_include_advanced_algebra(kb: Knowledge) -> None:
    """Checklist 1, c: "Must cover elementary algebra, advanced algebra, and 2-D/3-D geometry":
    Algebra I, Geometry and Statistics are three years but no advanced algebra."""
    goal = run(kb, transcript(c=[take("ALG1", 9), take("GEOM", 10), take("STATS", 11)]))
    assert requirement(goal, "area_c").status == "unmet"


def test_integrated_math_sequence_meets_mathematics(kb: Knowledge) -> None:
    """Checklist 1, c: Integrated Math I-III covers algebra, advanced algebra and geometry."""
    goal = run(kb, transcript(c=[take("IM1", 9), take("IM2", 10), take("IM3", 11)]))
    assert requirement(goal, "area_c").status == "met"
    assert goal.status == "met"


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param([take("BIO", 9), take("CHEM", 10)], "met", id="biology-chemistry"),
        pytest.param([take("CHEM", 10), take("PHYS", 11)], "met", id="chemistry-physics"),
        pytest.param([take("BIO", 9), take("ENVSCI", 11)], "met", id="earth-space-as-one"),
        pytest.param([take("BIO", 9), take("ANATPHYS", 11)], "unmet", id="biology-twice"),
        pytest.param([take("BIO", 9), take("EARTHSCI", 10)], "unmet", id="lower-level-earth-is-g"),
    ],
)
def test_science_two_disciplines(kb: Knowledge, rows: list[Row], status: str) -> None:
    """Checklist 1, d: two years, "fundamental knowledge in at least two of biology, chemistry,
    physics; earth/space science may count for one year". Lower-level earth science is on the g
    list, not d (UC a-g guide FAQ)."""
    goal = run(kb, transcript(d=rows, g=[take("PRECALC", 12)]))
    assert requirement(goal, "area_d").status == status


def test_language_must_be_two_years_of_the_same_language(kb: Knowledge) -> None:
    """Checklist 1, e: "2 ... Same language": Spanish 1 and French 1 are not two years."""
    goal = run(kb, transcript(e=[take("SPAN1", 9), take("FREN1", 10)]))
    assert requirement(goal, "area_e").status == "unmet"
    assert goal.status == "unmet"


def test_history_needs_world_history(kb: Knowledge) -> None:
    """Checklist 1, a: "1 yr world history, cultures and historical geography, plus 1 yr U.S.
    history": two years of U.S. history and psychology do not make up for world history."""
    goal = run(kb, transcript(a=[take("APHUG", 10), take("USHIST", 11)]))
    assert requirement(goal, "area_a").status == "unmet"


def test_exactly_11_before_senior_year_is_met(kb: Knowledge) -> None:
    """Checklist 2: "At least 11 of the 15 completed before the start of grade 12": Spanish 2 and
    Art 1 moved to grade 12 leave exactly 11."""
    rows = transcript(e=[take("SPAN1", 9), take("SPAN2", 12)], f=[take("ART1", 12)])
    goal = run(kb, rows)
    assert requirement(goal, "before_senior_year").status == "met"
    assert goal.status == "met"


def test_10_before_senior_year_is_unmet(kb: Knowledge) -> None:
    """Checklist 2: with Chemistry also moved to grade 12 only 10 courses precede it; every area
    is still complete, but eligibility is not."""
    rows = transcript(
        d=[take("BIO", 9), take("CHEM", 12)],
        e=[take("SPAN1", 9), take("SPAN2", 12)],
        f=[take("ART1", 12)],
    )
    goal = run(kb, rows)
    assert requirement(goal, "before_senior_year").status == "unmet"
    for area in ("area_a", "area_b", "area_c", "area_d", "area_e", "area_f", "area_g"):
        assert requirement(goal, area).status == "met", area
    assert goal.status == "unmet"


def test_nonresident_needs_3_40(kb: Knowledge) -> None:
    """Checklist 3: "3.00 (resident) or 3.40 (nonresident)": a 3.00 is not enough for a
    nonresident; with grade-10/11 grades of A in four of nine courses (31/9 = 3.44) it is."""
    assert run(kb, transcript(), "uc-ag-nonresident").status == "unmet"
    rows = transcript(
        a=[take("WHIST", 10, "A"), take("USHIST", 11, "A")],
        b=[take("ENG1", 9), take("ENG2", 10, "A"), take("ENG3", 11, "A"), take("ENG4", 12)],
    )
    goal = run(kb, rows, "uc-ag-nonresident")
    assert gpa(goal) == pytest.approx(truncated(31 / 9))
    assert goal.status == "met"


def test_nonresident_just_under_3_40(kb: Knowledge) -> None:
    """Checklist 3: three As of nine is 30/9 = 3.33 < 3.40."""
    rows = transcript(
        a=[take("WHIST", 10, "A"), take("USHIST", 11, "A")],
        b=[take("ENG1", 9), take("ENG2", 10, "A"), take("ENG3", 11), take("ENG4", 12)],
    )
    goal = run(kb, rows, "uc-ag-nonresident")
    assert gpa(goal) == pytest.approx(truncated(30 / 9))
    assert requirement(goal, "gpa").status == "unmet"
    assert run(kb, rows, "uc-ag").status == "met"
