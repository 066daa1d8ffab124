"""NCAA Division II initial eligibility (full qualifier), enrolling full time on/after 2023-08-01.

Written from ``../shared/reference/published-rules.md`` §1, "Checklist: Division II (enrolling on
or after 1 Aug 2023)" and "How the engine should count", with rule_params.json ``ncaa_d2_2023``:

1. Graduated from high school.
2. 16 core courses: 3 English; 2 math (Algebra I or higher); 2 natural/physical science (1 lab if
   offered); 3 more English, math or science; 2 social science; 4 more from any area above, a
   foreign language, comparative religion or philosophy.
3. Core GPA of at least 2.200 (full qualifier).
4. No progression rule like Division I's 10/7.
5. No test score required since 2023.

The partial qualifier is not encoded (the reference marks its post-2023 GPA UNSURE), so it is not
tested here.

Approved core courses: the representative Texas campus of catalogs/tx/2025/courses.yaml, as in
test_ncaa_d1.py (English ENG1-4; math ALG1, GEOM, ALG2, PRECAL, STATS; science BIO, CHEM, PHYS,
all lab; social science WGEO, WHIST, USHIST; world language SPAN1-2). Mathematical Models with
Applications is not on the school's list. Grades A=4 B=3 C=2 D=1, never rounded up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

D2 = "ncaa-d2"
D1 = "ncaa-d1"

Row = dict[str, Any]


def take(course: str, level: int, grade: str | None = "B", **extra: Any) -> Row:
    return {"course": course, "grade_level": level, "grade": grade, **extra}


def graded(layout: Sequence[tuple[str, int]], grades: str) -> list[Row]:
    """``layout`` graded in order, one letter per course."""
    assert len(layout) == len(grades)
    return [take(course, level, g) for (course, level), g in zip(layout, grades, strict=True)]


def run(
    kb: Knowledge,
    rows: Sequence[Row],
    goals: Sequence[str] = (D2,),
    diploma: str | None = "completed",
) -> list[GoalResult]:
    experiences = (
        []
        if diploma is None
        else [{"kind": "credential", "id": "high-school-diploma", "status": diploma}]
    )
    student = Student.model_validate(
        {
            "id": "S-NCAA2",
            "jurisdiction": "TX",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
            "experiences": experiences,
        }
    )
    result = audit(knowledge=kb, student=student, goals=list(goals))
    assert not result.unrecognized, result.unrecognized
    by_id = {g.goal: g for g in result.goals}  # policies may add goals (e.g. a redshirt check)
    return [by_id[g] for g in goals]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def earned(goal: GoalResult, name: str) -> float:
    progress = requirement(goal, name).progress
    assert progress is not None
    return progress.earned


# Exactly 16 core units with the Division II breakdown:
#   English 3 (ENG1-3), math 2 (ALG1, GEOM), science 2 (BIO, CHEM),
#   3 more English/math/science (ENG4, ALG2, PHYS), social science 2 (WGEO, USHIST),
#   4 additional (WHIST, SPAN1, SPAN2, PRECAL).          3 + 2 + 2 + 3 + 2 + 4 = 16.
CORE_16: tuple[tuple[str, int], ...] = (
    ("ENG1", 9),
    ("ALG1", 9),
    ("BIO", 9),
    ("WGEO", 9),
    ("ENG2", 10),
    ("GEOM", 10),
    ("CHEM", 10),
    ("WHIST", 10),
    ("ENG3", 11),
    ("ALG2", 11),
    ("PHYS", 11),
    ("USHIST", 11),
    ("SPAN1", 11),
    ("ENG4", 12),
    ("SPAN2", 12),
    ("PRECAL", 12),
)
BREAKDOWN = {
    "core_english": 3,
    "core_math": 2,
    "core_science": 2,
    "core_extra": 3,
    "core_social_science": 2,
    "core_additional": 4,
}


def test_16_units_with_the_breakdown_and_a_b_average_is_met(kb: Knowledge) -> None:
    """Items 1-3 and 5: graduated, 16 units in the breakdown, GPA 3.000, and no test score."""
    (goal,) = run(kb, graded(CORE_16, "B" * 16))
    assert goal.status == "met"
    for name, units in BREAKDOWN.items():
        assert earned(goal, name) == units, name
        assert requirement(goal, name).status == "met", name
    assert requirement(goal, "core_gpa").value == 3.0
    assert {r.name for r in goal.requirements} == {*BREAKDOWN, "core_gpa", "graduation"}


@pytest.mark.parametrize(
    ("grades", "points", "d2", "d1"),
    [
        # 13 C and 3 B = 26 + 9 = 35 points: 2.1875, under 2.200.
        pytest.param("C" * 13 + "B" * 3, 35, "unmet", "unmet", id="2.1875"),
        # 12 C and 4 B = 24 + 12 = 36 points: 2.250, a Division II but not a Division I qualifier.
        pytest.param("C" * 12 + "B" * 4, 36, "met", "unmet", id="2.250"),
        # 11 C and 5 B = 37 points: 2.3125, both divisions.
        pytest.param("C" * 11 + "B" * 5, 37, "met", "met", id="2.3125"),
    ],
)
def test_core_gpa_2_200_boundary(
    kb: Knowledge, grades: str, points: float, d2: str, d1: str
) -> None:
    """Item 3, "Core GPA of at least 2.200"; GPA = points/units over 16 units, never rounded up.
    16 whole units cannot average exactly 2.200 (35.2 points), so the cases straddle it: 2.1875
    fails and 2.250 passes; Division I's 2.300 line sits between 2.250 and 2.3125."""
    d2_goal, d1_goal = run(kb, graded(CORE_16, grades), (D2, D1))
    value = requirement(d2_goal, "core_gpa").value
    assert value is not None
    assert points / 16 - 0.001 < value <= points / 16
    assert requirement(d2_goal, "core_gpa").status == d2
    assert d2_goal.status == d2
    assert requirement(d1_goal, "core_gpa").status == d1


def test_three_extra_english_math_or_science_units_are_required(kb: Knowledge) -> None:
    """Item 2, "3 more years of English, math or science": Physics and Precalculus replaced by
    Spanish III and French I leaves English IV and Algebra II as the only English/math/science
    units beyond the minimums: 2 of 3, although the student still has 16 core courses (a world
    language fills only the 4 additional units)."""
    swap = {"PHYS": "SPAN3", "PRECAL": "FREN1"}
    layout = [(swap.get(c, c), g) for c, g in CORE_16]
    (goal,) = run(kb, graded(layout, "B" * 16))
    assert earned(goal, "core_extra") == 2
    assert requirement(goal, "core_extra").status == "unmet"
    assert requirement(goal, "core_additional").status == "met"
    assert goal.status == "unmet"


def test_two_english_units_are_not_enough(kb: Knowledge) -> None:
    """Item 2, "3 years of English": English I and II only, with Statistics and Spanish III for
    English III and IV keeps 16 units but leaves English short (math and language cannot stand in
    for English)."""
    layout = [
        (c, g) if c not in {"ENG3", "ENG4"} else ({"ENG3": "STATS", "ENG4": "SPAN3"}[c], g)
        for c, g in CORE_16
    ]
    (goal,) = run(kb, graded(layout, "B" * 16))
    assert earned(goal, "core_english") == 2
    assert requirement(goal, "core_english").status == "unmet"
    assert goal.status == "unmet"


def test_fifteen_and_a_half_units_is_not_enough(kb: Knowledge) -> None:
    """Item 2, "16 core courses", counted in units ("a one-semester core course counts 0.5"):
    Spanish II replaced by a one-semester Psychology course leaves 15.5 units."""
    layout = [(c, g) for c, g in CORE_16 if c != "SPAN2"]
    rows = [*graded(layout, "B" * 15), take("PSYCH", 12, "B", term="fall")]
    (goal,) = run(kb, rows)
    assert earned(goal, "core_additional") == 3.5
    assert requirement(goal, "core_additional").status == "unmet"
    assert goal.status == "unmet"


def test_math_below_the_school_list_does_not_count(kb: Knowledge) -> None:
    """Item 2, "2 years of math, Algebra I or higher" (on the school's approved list):
    Mathematical Models with Applications in place of Geometry is not a core course, so the
    student has 15 units."""
    layout = [(c, g) if c != "GEOM" else ("MATHMOD", g) for c, g in CORE_16]
    (goal,) = run(kb, graded(layout, "B" * 16))
    assert requirement(goal, "core_math").status == "met"  # ALG1 and ALG2/PRECAL fill it
    assert goal.status == "unmet"
    total = sum(earned(goal, name) for name in BREAKDOWN)
    assert total == 15


def test_no_ten_seven_progression_rule(kb: Knowledge) -> None:
    """Item 4, "No progression rule like Division I's 10/7": a student who took 8 of the 16 units
    in grade 12 (only 8 before it) is a Division II qualifier but fails Division I's progression."""
    late = {"ENG3", "ALG2", "PHYS", "USHIST", "SPAN1", "ENG4", "SPAN2", "PRECAL"}
    layout = [(c, 12 if c in late else g) for c, g in CORE_16]
    d2, d1 = run(kb, graded(layout, "B" * 16), (D2, D1))
    assert d2.status == "met"
    assert not any(r.name.startswith("progression") for r in d2.requirements)
    assert requirement(d1, "progression_ten").status == "unmet"
    assert d1.status == "unmet"


def test_a_grade_12_repeat_replaces_the_grade(kb: Knowledge) -> None:
    """Division II has no Division I "locked in" rule (the checklist's grade lock-in is Division
    I's item 4): English I with a D in grade 9, retaken with an A in grade 12, counts the A. With
    12 C and 3 B plus English I's A the average is 24 + 9 + 4 = 37 / 16 = 2.3125; were the D
    locked in it would be 34 / 16 = 2.125, under 2.200."""
    rows = graded(CORE_16, "D" + "C" * 12 + "B" * 3)
    rows.append(take("ENG1", 12, "A"))
    (goal,) = run(kb, rows)
    assert requirement(goal, "core_gpa").status == "met"
    value = requirement(goal, "core_gpa").value
    assert value is not None
    assert 37 / 16 - 0.001 < value <= 37 / 16


@pytest.mark.parametrize(
    ("diploma", "status"),
    [
        pytest.param("completed", "met", id="graduated"),
        pytest.param("planned", "in_progress", id="graduating-this-year"),
        pytest.param(None, "unmet", id="no-diploma"),
    ],
)
def test_high_school_graduation_is_required(
    kb: Knowledge, diploma: str | None, status: str
) -> None:
    """Item 1, "Graduated from high school"."""
    (goal,) = run(kb, graded(CORE_16, "B" * 16), diploma=diploma)
    assert requirement(goal, "graduation").status == status
    assert goal.status == status
