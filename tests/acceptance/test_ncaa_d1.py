"""NCAA Division I initial eligibility, for students first enrolling full time on/after 2023-08-01.

Written from ``../shared/reference/published-rules.md`` §1: "Checklist: Division I 'qualifier'"
(items 1-6), "Division I outcomes" (academic redshirt, from NCAA eFAQ 147) and "How the engine
should count". Pinned to the 2023 regime (DI Proposal 2022-34: no test score, core GPA 2.300).

Approved core courses. The NCAA list is school-specific (§1: "Tests must state which courses are
approved core"). These tests use the representative Texas campus of catalogs/tx/2025/courses.yaml:

- English: ENG1, ENG2, ENG3, ENG4
- Math, Algebra I or higher: ALG1, GEOM, ALG2, PRECAL, STATS, APSTAT. Mathematical Models with
  Applications (MATHMOD) is NOT on this school's list.
- Natural/physical science, all of them lab sciences: BIO, CHEM, PHYS, ENVSYS
- Social science: WGEO, WHIST, USHIST, PSYCH (semester), SOC (semester)
- World language: SPAN1, SPAN2, SPAN3

Grades are unweighted letters, A=4 B=3 C=2 D=1 F=0. A GPA is points/units, never rounded up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from engine import GoalResult, Knowledge, RequirementResult, Student, audit, load_knowledge

ROOT = Path(__file__).resolve().parents[2]
QUALIFIER = "ncaa-d1"
REDSHIRT = "ncaa-d1-redshirt"
BREAKDOWN = {
    "core_english": 4,
    "core_math": 3,
    "core_science": 2,
    "core_extra": 1,
    "core_social_science": 2,
    "core_additional": 4,
}

Row = dict[str, Any]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def take(course: str, level: int, grade: str | float | None = "B", **extra: Any) -> Row:
    """One transcript row; a full-year course unless ``term=`` says otherwise."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


def graded(layout: Sequence[tuple[str, int]], grades: Sequence[str]) -> list[Row]:
    """``layout`` graded in order. A grade written "C/D" is two semester rows: fall C, spring D."""
    assert len(layout) == len(grades)
    rows: list[Row] = []
    for (course, level), grade in zip(layout, grades, strict=True):
        if "/" in grade:
            fall, spring = grade.split("/")
            rows += [
                take(course, level, fall, term="fall"),
                take(course, level, spring, term="spring"),
            ]
        else:
            rows.append(take(course, level, grade))
    return rows


def make_student(rows: Sequence[Row], diploma: str | None = "completed") -> Student:
    """A Texas student (2025 catalog) who graduates this year unless ``diploma`` says otherwise."""
    experiences = (
        []
        if diploma is None
        else [{"kind": "credential", "id": "high-school-diploma", "status": diploma}]
    )
    return Student.model_validate(
        {
            "id": "S-NCAA",
            "jurisdiction": "TX",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
            "experiences": experiences,
        }
    )


def run(
    kb: Knowledge, rows: Sequence[Row], goal: str = QUALIFIER, diploma: str | None = "completed"
) -> GoalResult:
    result = audit(knowledge=kb, student=make_student(rows, diploma), goals=[goal])
    assert not result.unrecognized, result.unrecognized
    return result.goals[0]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def assert_gpa(goal: GoalResult, points: float, units: float) -> None:
    """The core GPA is points/units, reported to 3 places and never rounded up."""
    exact = points / units
    value = requirement(goal, "core_gpa").value
    assert value is not None
    assert exact - 0.001 < value <= exact, (value, exact)


def applied_grades(goal: GoalResult, r: RequirementResult, course: str) -> list[str | None]:
    """The grades of the rows of ``course`` that counted toward ``r``."""
    rows = {row.index: row for row in goal.rows}
    return [rows[a.index].grade for a in r.applied if a.course == course]


def walk(results: Sequence[RequirementResult]) -> Iterator[RequirementResult]:
    for r in results:
        yield r
        yield from walk(r.children)


# The 16 core units of a typical qualifier, one per row, in grade order:
#   English 4 (ENG1-4); math 3 (ALG1, GEOM, ALG2); science 2 (BIO, CHEM, both lab);
#   1 more E/M/S (PHYS or PRECAL); social science 2 (WGEO, WHIST);
#   4 additional (USHIST, SPAN1, SPAN2, and PRECAL or PHYS).        4+3+2+1+2+4 = 16.
# Before grade 12: 13 units, 9 of them English/math/science.
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

# Exactly 10 core units before grade 12, 7 of them English/math/science (checklist item 3):
#   grade 9:  ENG1 ALG1 BIO | WGEO       grade 10: ENG2 GEOM CHEM | WHIST
#   grade 11: ENG3 | SPAN1               -> 7 E/M/S + 3 others = 10
#   grade 12: ENG4 ALG2 STATS PHYS USHIST SPAN2 (6 more; 16 in all, same breakdown as CORE_16)
TEN_SEVEN: tuple[tuple[str, int], ...] = (
    ("ENG1", 9),
    ("ALG1", 9),
    ("BIO", 9),
    ("WGEO", 9),
    ("ENG2", 10),
    ("GEOM", 10),
    ("CHEM", 10),
    ("WHIST", 10),
    ("ENG3", 11),
    ("SPAN1", 11),
    ("ENG4", 12),
    ("ALG2", 12),
    ("STATS", 12),
    ("PHYS", 12),
    ("USHIST", 12),
    ("SPAN2", 12),
)


def moved(layout: Sequence[tuple[str, int]], **levels: int) -> list[tuple[str, int]]:
    """``layout`` with some courses taken in another grade."""
    return [(course, levels.get(course, level)) for course, level in layout]


# --------------------------------------------------------------------------------------------
# Qualifier: the 16-unit breakdown (checklist items 1-2)
# --------------------------------------------------------------------------------------------


def test_qualifier_with_exactly_16_units_and_high_gpa_is_met(kb: Knowledge) -> None:
    """Checklist item 2 (16 core units: 4 English, 3 math, 2 science, 1 extra, 2 social science,
    4 additional) and item 5 (GPA >= 2.300): 8 A + 8 B = 56 points / 16 units = 3.5."""
    goal = run(kb, graded(CORE_16, "AAAAAAAABBBBBBBB"))
    assert goal.status == "met"
    for name, units in BREAKDOWN.items():
        r = requirement(goal, name)
        assert r.status == "met", name
        assert r.progress is not None
        assert r.progress.earned == units, name
    assert_gpa(goal, 56, 16)


def test_d_grade_counts_as_a_passed_core_unit_worth_one_point(kb: Knowledge) -> None:
    """§1, How the engine should count: "D grades count (1 point) if the school counts D as
    passing". ENG4 = D, 15 other units B: (15 x 3 + 1) / 16 = 46/16 = 2.875."""
    grades = ["B"] * 16
    grades[CORE_16.index(("ENG4", 12))] = "D"
    goal = run(kb, graded(CORE_16, grades))
    english = requirement(goal, "core_english")
    assert english.status == "met"
    assert applied_grades(goal, english, "ENG4") == ["D"]
    assert goal.status == "met"
    assert_gpa(goal, 46, 16)


def test_f_grade_is_not_a_core_unit(kb: Knowledge) -> None:
    """Item 2, "4 years of English": a failed English IV is not a passed core course, so only
    3 English units remain."""
    grades = ["B"] * 16
    grades[CORE_16.index(("ENG4", 12))] = "F"
    goal = run(kb, graded(CORE_16, grades))
    english = requirement(goal, "core_english")
    assert english.status == "unmet"
    assert english.progress is not None
    assert english.progress.earned == 3
    assert goal.status == "unmet"


@pytest.mark.parametrize(
    ("semesters", "english_units", "status"),
    [
        pytest.param(["fall", "spring"], 4, "met", id="two-semesters-are-one-unit"),
        pytest.param(["fall"], 3.5, "unmet", id="one-semester-is-half-a-unit"),
    ],
)
def test_semester_rows_count_half_a_unit_each(
    kb: Knowledge, semesters: list[str], english_units: float, status: str
) -> None:
    """§1: "Count in units: a one-semester core course counts 0.5" (How the engine should count).
    English I taken as semester rows instead of one year row."""
    rows = [take("ENG1", 9, "B", term=term) for term in semesters]
    rows += graded(CORE_16[1:], "B" * 15)
    goal = run(kb, rows)
    english = requirement(goal, "core_english")
    assert english.progress is not None
    assert english.progress.earned == english_units
    assert english.status == status
    assert goal.status == status


def test_three_english_units_are_not_enough_even_with_17_other_units(kb: Knowledge) -> None:
    """Item 2, "4 years of English": 3 English + 17 other core units (20 in all) is unmet."""
    rows = graded([c for c in CORE_16 if c[0] != "ENG4"], "B" * 15)  # 3 English + 12 others
    rows += [
        take("STATS", 12),
        take("APSTAT", 12),
        take("ENVSYS", 12),
        take("SPAN3", 12),
        take("PSYCH", 12, term="fall"),
        take("SOC", 12, term="spring"),
    ]  # 5 more units: 17 non-English core units in all
    goal = run(kb, rows)
    english = requirement(goal, "core_english")
    assert english.status == "unmet"
    assert english.progress is not None
    assert english.progress.earned == 3
    assert goal.status == "unmet"


@pytest.mark.parametrize(
    ("third_math", "status", "math_units"),
    [
        pytest.param("MATHMOD", "unmet", 2, id="not-approved-core-math"),
        pytest.param("ALG2", "met", 3, id="algebra-ii"),
    ],
)
def test_math_not_on_the_approved_list_does_not_count(
    kb: Knowledge, third_math: str, status: str, math_units: float
) -> None:
    """Item 2, "3 years of math, Algebra I or higher" from the school's approved list: MATHMOD is
    not NCAA core at this school, so ALG1 + GEOM + MATHMOD is 2 math units."""
    layout = [
        ("ENG1", 9), ("ALG1", 9), ("BIO", 9), ("WGEO", 9),
        ("ENG2", 10), ("GEOM", 10), ("CHEM", 10), ("WHIST", 10),
        ("ENG3", 11), (third_math, 11), ("PHYS", 11), ("USHIST", 11), ("SPAN1", 11),
        ("ENG4", 12), ("SPAN2", 12),
    ]  # fmt: skip
    rows = graded(layout, "B" * 15)
    rows += [take("PSYCH", 12, term="fall"), take("SOC", 12, term="spring")]
    goal = run(kb, rows)
    math = requirement(goal, "core_math")
    assert math.progress is not None
    assert math.progress.earned == math_units
    assert math.status == status
    assert goal.status == status
    if third_math == "MATHMOD":
        assert all(a.course != "MATHMOD" for r in walk(goal.requirements) for a in r.applied)


# --------------------------------------------------------------------------------------------
# Lab science: needs a catalog with a core science that is NOT a lab science
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb_nonlab(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The repository's NCAA rules and Texas catalog, plus two approved core sciences without a
    lab (the bundled campus tags every core science as a lab science, so "1 year of lab science"
    cannot be told apart from "2 years of science" without them)."""
    root = tmp_path_factory.mktemp("nonlab")
    source = ROOT / "catalogs" / "tx" / "2025" / "courses.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for cid, title in (
        ("NLSCI1", "Physical Science (no lab)"),
        ("NLSCI2", "Earth Science (no lab)"),
    ):
        data["courses"].append(
            {
                "id": cid,
                "title": title,
                "subject": "science",
                "credits": 1,
                "attributes": ["ncaa-core:science"],
            }
        )
    (root / "catalogs" / "tx" / "2025").mkdir(parents=True)
    (root / "catalogs" / "tx" / "2025" / "courses.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False), encoding="utf-8"
    )
    (root / "rules" / "us" / "2023").mkdir(parents=True)
    for name in ("ncaa-d1.yaml", "ncaa-d1-redshirt.yaml"):
        text = (ROOT / "rules" / "us" / "2023" / name).read_text(encoding="utf-8")
        (root / "rules" / "us" / "2023" / name).write_text(text, encoding="utf-8")
    return load_knowledge(root)


@pytest.mark.parametrize(
    ("sciences", "status"),
    [
        pytest.param(("NLSCI1", "NLSCI2"), "unmet", id="two-sciences-no-lab"),
        pytest.param(("BIO", "NLSCI1"), "met", id="one-lab-one-non-lab"),
    ],
)
def test_one_year_of_lab_science_is_required(
    kb_nonlab: Knowledge, sciences: tuple[str, str], status: str
) -> None:
    """Item 2, "2 years of natural/physical science, including 1 year of lab science if the high
    school offers one" (this school offers Biology, Chemistry, Physics)."""
    first, second = sciences
    layout = [
        ("ENG1", 9), ("ALG1", 9), (first, 9), ("WGEO", 9),
        ("ENG2", 10), ("GEOM", 10), (second, 10), ("WHIST", 10),
        ("ENG3", 11), ("ALG2", 11), ("STATS", 11), ("USHIST", 11), ("SPAN1", 11),
        ("ENG4", 12), ("SPAN2", 12), ("PRECAL", 12),
    ]  # fmt: skip
    goal = run(kb_nonlab, graded(layout, "B" * 16))
    assert requirement(goal, "core_science").status == status
    assert goal.status == status


# --------------------------------------------------------------------------------------------
# Core GPA (item 5) and the academic redshirt (Division I outcomes)
# --------------------------------------------------------------------------------------------

# Exactly 2.300 over 16 units cannot be built from whole and half units: points x units is
# always a multiple of 0.5 while 2.3 x 16 = 36.8. The two nearest transcripts straddle it:
#   2 A + 4 B + 7 C + 3 D          = 8 + 12 + 14 + 3        = 37   / 16 = 2.3125   (>= 2.300)
#   2 A + 4 B + 6 C + 3 D + (C/D)  = 8 + 12 + 12 + 3 + 1.5  = 36.5 / 16 = 2.28125  (<  2.300)
# For the redshirt's 2.000 the boundary is exact:
#   2 A + 2 B + 6 C + 6 D          = 8 + 6 + 12 + 6         = 32   / 16 = 2.000
#   2 A + 2 B + 5 C + 6 D + (C/D)  = 8 + 6 + 10 + 6 + 1.5   = 31.5 / 16 = 1.96875
# "C/D" is the last course taken as two semester rows, fall C (0.5 x 2) and spring D (0.5 x 1).
GPA_2_3125 = list("AABBBBCCCCCCCDDD")
GPA_2_28125 = [*"AABBBBCCCCCCDDD", "C/D"]
GPA_2_000 = list("AABBCCCCCCDDDDDD")
GPA_1_96875 = [*"AABBCCCCCDDDDDD", "C/D"]


def test_a_semester_split_course_still_leaves_all_16_units_usable(kb: Knowledge) -> None:
    """§1: "Count in units: a one-semester core course counts 0.5", "A course may fill only one
    slot", and the GPA is over the 16 units used. CORE_16 all B except Physics = D and
    Precalculus as two semester rows (fall C, spring D):
      PHYS fills the extra E/M/S slot, both PRECAL halves make one additional unit;
      (14 x 3 + 1 + 0.5 x 2 + 0.5 x 1) / 16 = 44.5/16 = 2.78125 -> a qualifier."""
    grades = ["B"] * 16
    grades[CORE_16.index(("PHYS", 11))] = "D"
    grades[CORE_16.index(("PRECAL", 12))] = "C/D"
    goal = run(kb, graded(CORE_16, grades))
    for name, units in BREAKDOWN.items():
        r = requirement(goal, name)
        assert r.progress is not None
        assert (r.status, r.progress.earned) == ("met", units), name
    assert sum(a.credits for a in requirement(goal, "core_gpa").applied) == 16
    assert_gpa(goal, 44.5, 16)
    assert goal.status == "met"


@pytest.mark.parametrize(
    ("goal_id", "grades", "points", "status"),
    [
        pytest.param(QUALIFIER, GPA_2_3125, 37, "met", id="qualifier-2.3125"),
        pytest.param(QUALIFIER, GPA_2_28125, 36.5, "unmet", id="qualifier-2.28125"),
        pytest.param(QUALIFIER, GPA_2_000, 32, "unmet", id="qualifier-2.000"),
        pytest.param(REDSHIRT, GPA_2_000, 32, "met", id="redshirt-2.000"),
        pytest.param(
            REDSHIRT,
            GPA_1_96875,
            31.5,
            "unmet",
            id="redshirt-1.96875",
        ),
    ],
)
def test_core_gpa_boundaries(
    kb: Knowledge, goal_id: str, grades: list[str], points: float, status: str
) -> None:
    """Item 5 "Core-course GPA of at least 2.300"; Division I outcomes, academic redshirt "core GPA
    at least 2.000"; "Core GPA = Σ(points × units) / Σ units"; a GPA "is never rounded up"."""
    goal = run(kb, graded(CORE_16, grades), goal_id)
    gpa = requirement(goal, "core_gpa")
    assert gpa.status == status
    assert_gpa(goal, points, 16)
    assert goal.status == status


@pytest.mark.parametrize(
    ("grades", "points"),
    [
        pytest.param(GPA_2_3125, 37, id="qualifier"),
        pytest.param(GPA_2_000, 32, id="redshirt-only"),
    ],
)
def test_a_qualifier_is_also_an_academic_redshirt(
    kb: Knowledge, grades: list[str], points: float
) -> None:
    """Division I outcomes: qualifier (GPA >= 2.300, 10/7) and academic redshirt (GPA >= 2.000,
    no 10/7). Both need the same 16 units and graduation, so every qualifier also meets the
    redshirt standard, and a 2.000 student is a redshirt but not a qualifier."""
    rows = graded(CORE_16, grades)
    qualifier = run(kb, rows, QUALIFIER)
    redshirt = run(kb, rows, REDSHIRT)
    assert redshirt.status == "met"
    assert qualifier.status == ("met" if points / 16 >= 2.3 else "unmet")


def test_best_16_units_are_used_when_there_are_more(kb: Knowledge) -> None:
    """§1: "When there are more than 16 units, NCAA uses the best grades that still satisfy the
    breakdown" (How the engine should count); redshirt: "computed on the best 16".

    CORE_16 at 37 points with its low grades early (grade 9: ENG1 ALG1 BIO = D; then 7 C, 2 A,
    and 4 B in grade 11-12), plus STATS = D and PSYCH + SOC = D, D (1 unit) in grade 10:
      all 18 units: (37 + 1 + 1) / 18 = 39/18 = 2.167  (below 2.300)
      best 16:      drop two D units   = 37/16 = 2.3125 (at least 2.300)
    Taking the earliest 16 instead would keep the grade-10 D units and drop later B units.
    """
    grades = list("DDDCCCCCCCAABBBB")  # 3 + 14 + 8 + 12 = 37 points
    rows = graded(CORE_16, grades)
    rows += [
        take("STATS", 10, "D"),
        take("PSYCH", 10, "D", term="fall"),
        take("SOC", 10, "D", term="spring"),
    ]
    goal = run(kb, rows)
    assert requirement(goal, "core_gpa").status == "met"
    assert_gpa(goal, 37, 16)
    assert goal.status == "met"


def test_best_16_must_still_satisfy_the_breakdown(kb: Knowledge) -> None:
    """§1: "the best grades that still satisfy the breakdown": the only four English units must
    stay, even when one of them is the worst grade.

    CORE_16 with ENG4 = D, 5 B and 10 C (36 points), plus PSYCH + SOC = C, C (1 unit, 2 points):
      best 16 ignoring the breakdown: drop ENG4 (D)   = (36 - 1 + 2) / 16 = 37/16 = 2.3125
      best 16 keeping 4 English:      drop one C unit = (36 - 2 + 2) / 16 = 36/16 = 2.250
    """
    grades = list("BBBBBCCCCCCCCDCC")
    assert CORE_16[grades.index("D")] == ("ENG4", 12)
    rows = graded(CORE_16, grades)
    rows += [take("PSYCH", 11, "C", term="fall"), take("SOC", 11, "C", term="spring")]
    goal = run(kb, rows)
    assert requirement(goal, "core_english").status == "met"
    assert_gpa(goal, 36, 16)
    assert requirement(goal, "core_gpa").status == "unmet"
    assert goal.status == "unmet"


# --------------------------------------------------------------------------------------------
# Progression "10/7" and grade lock-in (items 3-4)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "before_12", "ems_before_12", "qualifier", "redshirt"),
    [
        pytest.param(TEN_SEVEN, 10, 7, "met", "met", id="10-before-7-ems"),
        pytest.param(moved(TEN_SEVEN, WHIST=12), 9, 7, "unmet", "met", id="9-before"),
        pytest.param(
            moved(TEN_SEVEN, CHEM=12, SPAN2=11), 10, 6, "unmet", "met", id="10-before-6-ems"
        ),
    ],
)
def test_ten_seven_progression(
    kb: Knowledge,
    layout: list[tuple[str, int]],
    before_12: float,
    ems_before_12: float,
    qualifier: str,
    redshirt: str,
) -> None:
    """Item 3: "at least 10 of the 16 completed before the start of the 7th semester ... and at
    least 7 of those 10 in English, math or natural/physical science". The academic redshirt has
    "no 10/7 rule". All grades B (GPA 3.0), 16 units, same breakdown in every case."""
    rows = graded(layout, "B" * 16)
    goal = run(kb, rows, QUALIFIER)
    ten = requirement(goal, "progression_ten")
    seven = requirement(goal, "progression_seven")
    assert ten.progress is not None
    assert seven.progress is not None
    assert min(ten.progress.earned, 10) == min(before_12, 10)
    assert min(seven.progress.earned, 7) == min(ems_before_12, 7)
    assert ten.status == ("met" if before_12 >= 10 else "unmet")
    assert seven.status == ("met" if ems_before_12 >= 7 else "unmet")
    assert goal.status == qualifier
    assert run(kb, rows, REDSHIRT).status == redshirt


def test_the_16_units_used_include_the_10_before_grade_12(kb: Knowledge) -> None:
    """Item 3 ("10 of the 16") with more than 16 units: the 16 used must still contain the 10
    finished before grade 12, even when later courses have better grades.

    TEN_SEVEN with the 10 early units at C and the 6 grade-12 units at A, plus 3 more grade-12
    units at A (PSYCH + SOC, SPAN3): the 16 best grades (8 A + 8 C) would keep only 8 early
    units, but 10 C + 6 A = 44/16 = 2.75 is a valid 16 that meets 10/7 and 2.300."""
    rows = graded(TEN_SEVEN, "CCCCCCCCCCAAAAAA")
    rows += [
        take("PSYCH", 12, "A", term="fall"),
        take("SOC", 12, "A", term="spring"),
        take("SPAN3", 12, "A"),
    ]
    goal = run(kb, rows)
    assert requirement(goal, "progression_ten").status == "met"
    assert requirement(goal, "progression_seven").status == "met"
    assert requirement(goal, "core_gpa").status == "met"
    assert goal.status == "met"


def test_summer_after_grade_11_counts_before_the_7th_semester(kb: Knowledge) -> None:
    """Conventions: "Before the 7th semester ... means grades 9-11, including the summer after
    grade 11". TEN_SEVEN with Spanish I taken in that summer still has 10 units before grade 12."""
    rows = [
        take("SPAN1", 11, "B", term="summer", credits=1) if r["course"] == "SPAN1" else r
        for r in graded(TEN_SEVEN, "B" * 16)
    ]
    goal = run(kb, rows)
    assert requirement(goal, "progression_ten").status == "met"
    assert goal.status == "met"


# TEN_SEVEN with Chemistry D in grade 10 and the 15 other units at 5 B + 10 C = 35 points:
#   grade 9-11: ENG1 ALG1 BIO WGEO ENG2 GEOM WHIST ENG3 SPAN1 = C (9 C), CHEM = D
#   grade 12:   ENG4 ALG2 STATS PHYS USHIST = B (5 B), SPAN2 = C (10 C in all)
# Chemistry retaken with an A: D counts -> (35 + 1) / 16 = 2.25; A counts -> (35 + 4) / 16 = 2.4375
LOCK_GRADES = list("CCCCCCDCCCBBBBBC")


@pytest.mark.parametrize(
    ("repeat_level", "points", "status"),
    [
        pytest.param(11, 39, "met", id="repeat-in-grade-11-replaces"),
        pytest.param(12, 36, "unmet", id="repeat-in-grade-12-is-locked-out"),
    ],
)
def test_grades_are_locked_in_at_the_7th_semester(
    kb: Knowledge, repeat_level: int, points: float, status: str
) -> None:
    """Item 4: "The grades of those 10 courses are 'locked in'. A repeat taken after the 7th
    semester begins does not replace them." This student has exactly 10 core units before grade
    12, so Chemistry (grade 10, D) is one of the locked 10."""
    assert TEN_SEVEN[LOCK_GRADES.index("D")] == ("CHEM", 10)
    rows = graded(TEN_SEVEN, LOCK_GRADES)
    rows.append(take("CHEM", repeat_level, "A", repeat=True))
    goal = run(kb, rows)
    assert_gpa(goal, points, 16)
    assert requirement(goal, "core_gpa").status == status
    assert goal.status == status


def test_a_failed_course_repeated_before_grade_12_counts_the_new_grade(kb: Knowledge) -> None:
    """Item 4 (a repeat before the 7th semester may replace a grade): Algebra I F in grade 9,
    retaken in grade 10 with a B. The 15 other units are 4 B + 11 C = 34 points.
      B counts: (34 + 3) / 16 = 2.3125 (met); were the F counted instead: 34/16 = 2.125."""
    layout = [
        ("ENG1", 9), ("BIO", 9), ("WGEO", 9),
        ("ENG2", 10), ("CHEM", 10), ("WHIST", 10),
        ("ENG3", 11), ("GEOM", 11), ("PHYS", 11), ("USHIST", 11), ("SPAN1", 11),
        ("ENG4", 12), ("ALG2", 12), ("SPAN2", 12),
    ]  # fmt: skip
    rows = graded(layout, "BBBBCCCCCCCCCC")  # 14 units: 4 B + 10 C
    rows += [take("PSYCH", 12, "C", term="fall"), take("SOC", 12, "C", term="spring")]  # 1 C
    rows += [take("ALG1", 9, "F"), take("ALG1", 10, "B", repeat=True)]
    goal = run(kb, rows)
    math = requirement(goal, "core_math")
    assert math.status == "met"
    assert applied_grades(goal, math, "ALG1") == ["B"]
    assert_gpa(goal, 37, 16)
    assert goal.status == "met"


# --------------------------------------------------------------------------------------------
# Graduation (item 1), no test score (item 6), work in progress
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diploma", "status"),
    [
        pytest.param("completed", "met", id="graduated"),
        pytest.param("planned", "in_progress", id="diploma-planned"),
        pytest.param(None, "unmet", id="no-diploma"),
    ],
)
@pytest.mark.parametrize("goal_id", [QUALIFIER, REDSHIRT])
def test_high_school_graduation_is_required(
    kb: Knowledge, goal_id: str, diploma: str | None, status: str
) -> None:
    """Item 1 "Graduated from high school"; the redshirt also needs "graduated"."""
    goal = run(kb, graded(CORE_16, "B" * 16), goal_id, diploma=diploma)
    assert requirement(goal, "graduation").status == status
    assert goal.status == status


def test_no_test_score_is_required(kb: Knowledge) -> None:
    """Item 6: "No SAT/ACT score is required" (DI Proposal 2022-34). A student with no assessment
    at all is a qualifier, and no requirement of the set asks for one."""
    goal = run(kb, graded(CORE_16, "B" * 16))
    assert goal.status == "met"
    assert all(r.operator != "assessment" for r in walk(goal.requirements))


def test_senior_year_in_progress_is_in_progress(kb: Knowledge) -> None:
    """Grade 12 core courses under way and the diploma still to come: the breakdown is met only
    if they are passed, so the qualifier is in progress, not met and not unmet."""
    rows = graded(CORE_16, "B" * 16)
    rows = [
        {**r, "grade": None, "status": "in_progress"} if r["grade_level"] == 12 else r for r in rows
    ]
    goal = run(kb, rows, diploma="planned")
    assert requirement(goal, "core_english").status == "in_progress"
    assert requirement(goal, "progression_ten").status == "met"
    assert goal.status == "in_progress"


# --------------------------------------------------------------------------------------------
# Discrepancies between the published rules and the rule files
# --------------------------------------------------------------------------------------------


def test_numeric_grade_failing_at_the_school_is_not_a_core_unit(kb: Knowledge) -> None:
    """§1: "D grades count (1 point) if the school counts D as passing" (How the engine should
    count): NCAA reads the high school's own grading scale. A Texas school gives no credit below
    70 (the state minimum passing grade, also the D band of rules/tx/2025/fhsp.yaml), so English
    IV at 67 is failed there and the student has 3 English units."""
    rows = [take("ENG4", 12, 67) if r["course"] == "ENG4" else r for r in graded(CORE_16, "B" * 16)]
    goal = run(kb, rows)
    english = requirement(goal, "core_english")
    assert english.progress is not None
    assert english.progress.earned == 3
    assert goal.status == "unmet"
