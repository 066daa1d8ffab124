"""Florida 24-credit standard diploma (§1003.4282, F.S.), students entering grade 9 in 2023-24+.

Written from ``../shared/reference/published-rules.md`` §4b and ``rule_params.json``
(``fl_24_entering_2023``): ELA 4, mathematics 4 including Algebra 1 and Geometry, science 3
including Biology 1 with 2 of the 3 having a laboratory component, social studies 3 (World
History 1, U.S. History 1, U.S. Government 0.5, Economics 0.5), arts 1 (fine or performing arts,
speech and debate), physical education 1 (HOPE), personal financial literacy 0.5, electives 7.5,
total 24, cumulative unweighted GPA of at least 2.0, and passing the grade 10 ELA and Algebra 1
EOC assessments or concordant/comparative scores. Passing scores (Achievement Level 3) and the
ACT concordant scores (ACT English/Reading average 18, ACT Math 16, Geometry EOC Level 3) are
those restated from Rule 6A-1.09422, F.A.C. by the St. Johns County "Concordant Test Scores"
page; the online-course requirement was "removed as a graduation requirement for ALL 9th grade
entry years" as of summer 2023 (St. Johns County graduation page).

Florida's grading scale (§1003.437): A 90-100, B 80-89, C 70-79, D 60-69, F 0-59; D passes.
Courses are those of catalogs/fl/2023/courses.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

GOAL = "fl-standard"
SUBJECT_AREAS = (
    "english",
    "math",
    "science",
    "science_lab",
    "social_studies",
    "arts",
    "pe",
    "personal_financial_literacy",
)

Row = dict[str, Any]


def take(course: str, level: int, grade: str | float | None = "B", **extra: Any) -> Row:
    """One transcript row; a full-year course unless ``term=`` says otherwise."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


# A complete 24-credit transcript, by checklist line, with no online course.
COMPLETE: dict[str, list[Row]] = {
    "english": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12)],  # 4
    "math": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11), take("MCR", 12)],  # 4
    "science": [take("BIO", 9), take("ESS", 10), take("CHEM", 11)],  # 3, all three with a lab
    "social_studies": [
        take("WHIST", 9),
        take("USHIST", 11),
        take("USGOV", 12, term="fall"),  # 0.5
        take("ECON", 12, term="spring"),  # 0.5
    ],  # 3
    "arts": [take("ART2D1", 10)],  # 1
    "pe": [take("HOPE", 9)],  # 1
    "personal_financial_literacy": [take("PFL", 10, term="fall")],  # 0.5
    "electives": [
        take("SPAN1", 9),
        take("SPAN2", 10),
        take("HSF", 10),
        take("PSYCH1", 10, term="spring"),  # 0.5
        take("HSAP", 11),
        take("JOURN1", 11),
        take("DD1", 12),
        take("CUL1", 12),
    ],  # 7.5
}  # 4 + 4 + 3 + 3 + 1 + 1 + 0.5 + 7.5 = 24

PASSED_TESTS: list[dict[str, Any]] = [
    {"kind": "assessment", "id": "fl-fast-ela-10", "score": 3, "grade_level": 10},
    {"kind": "assessment", "id": "fl-best-algebra-1-eoc", "score": 3, "grade_level": 9},
]


def transcript(**areas: list[Row]) -> list[Row]:
    """The complete transcript with some areas' rows replaced."""
    unknown = set(areas) - set(COMPLETE)
    assert not unknown, unknown
    return [row for area, rows in COMPLETE.items() for row in areas.get(area, rows)]


def with_grade(rows: Sequence[Row], grade: str | float) -> list[Row]:
    return [{**row, "grade": grade} for row in rows]


def run(
    kb: Knowledge, rows: Sequence[Row], experiences: Sequence[dict[str, Any]] = PASSED_TESTS
) -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-FL-STD",
            "jurisdiction": "FL",
            "cohort": 2027,
            "grade_level": 12,
            "catalog_year": 2023,
            "transcript": list(rows),
            "experiences": list(experiences),
        }
    )
    result = audit(knowledge=kb, student=student, goals=[GOAL])
    assert not result.unrecognized, result.unrecognized
    assert result.catalog == "fl-2023"
    return result.goals[0]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def child(node: RequirementResult, title: str) -> RequirementResult:
    return next(c for c in node.children if c.title == title)


def earned(goal: GoalResult, name: str) -> float:
    progress = requirement(goal, name).progress
    assert progress is not None
    return progress.earned


def only_unmet(goal: GoalResult) -> set[str]:
    return {r.name for r in goal.requirements if r.status != "met" and r.name is not None}


# --------------------------------------------------------------------------------------------
# The whole diploma: 24 credits, 2.0 GPA, two assessments
# --------------------------------------------------------------------------------------------


def test_complete_24_credit_transcript_is_met(kb: Knowledge) -> None:
    """Every checklist line at its minimum, exactly 24 credits, both assessments passed."""
    goal = run(kb, transcript())
    assert goal.status == "met"
    for r in goal.requirements:
        assert r.status == "met", r.name
    assert earned(goal, "electives") == 7.5
    assert earned(goal, "total_credits") == 24
    assert requirement(goal, "gpa").value == 3.0


def test_23_5_credits_is_unmet(kb: Knowledge) -> None:
    """Checklist: "Electives 7.5" and "Total 24": one half-credit elective short leaves 23.5
    credits."""
    electives = [r for r in COMPLETE["electives"] if r["course"] != "PSYCH1"]
    goal = run(kb, transcript(electives=electives))
    for name in SUBJECT_AREAS:
        assert requirement(goal, name).status == "met", name
    assert earned(goal, "total_credits") == 23.5
    assert earned(goal, "electives") == 7
    assert only_unmet(goal) == {"electives", "total_credits"}
    assert goal.status == "unmet"


def test_no_online_course_is_needed(kb: Knowledge) -> None:
    """St. Johns County: "as of the summer of 2023, the on-line course requirement was removed as a
    graduation requirement for ALL 9th grade entry years". The complete transcript has no online
    course and meets the diploma; no requirement of the set speaks of online learning."""
    goal = run(kb, transcript())
    assert all(not row.course.endswith("-V") for row in goal.rows)
    assert goal.status == "met"
    assert not any("online" in r.title.lower() for r in goal.requirements)


def test_online_sections_count_like_classroom_ones(kb: Knowledge) -> None:
    """An online (FLVS) section of Personal Financial Literacy or HOPE earns the same credit."""
    goal = run(
        kb,
        transcript(
            personal_financial_literacy=[take("PFL-V", 10, term="summer")],
            pe=[take("HOPE-V", 9)],
        ),
    )
    assert goal.status == "met"
    assert [a.course for a in requirement(goal, "personal_financial_literacy").applied] == ["PFL-V"]
    assert [a.course for a in requirement(goal, "pe").applied] == ["HOPE-V"]


# --------------------------------------------------------------------------------------------
# GPA: cumulative, unweighted, at least 2.0
# --------------------------------------------------------------------------------------------


def test_gpa_of_exactly_2_0_is_met(kb: Knowledge) -> None:
    """Checklist: "Cumulative unweighted GPA >= 2.0": straight C's (2 points each) give 2.0."""
    goal = run(kb, with_grade(transcript(), "C"))
    gpa = requirement(goal, "gpa")
    assert gpa.value == 2.0
    assert gpa.status == "met"
    assert goal.status == "met"


def test_gpa_of_2_0_from_b_and_d_grades_is_met(kb: Knowledge) -> None:
    """12 credits of B (3 points) and 12 of D (1 point, still passing): 48 / 24 = 2.0."""
    rows = transcript()
    b_courses = {"ENG1", "ENG2", "ENG3", "ENG4", "ALG1", "GEOM", "ALG2", "MCR", "BIO", "ESS"}
    b_courses |= {"CHEM", "HOPE"}  # 12 credits of B; the other 12 credits are D (65)
    graded = [{**r, "grade": "B" if r["course"] in b_courses else 65} for r in rows]
    goal = run(kb, graded)
    assert requirement(goal, "gpa").value == 2.0
    assert goal.status == "met"


def test_gpa_just_under_2_0_is_unmet(kb: Knowledge) -> None:
    """One half-credit D among straight C's: (23.5 x 2 + 0.5 x 1) / 24 = 1.979, under 2.0.

    The checklist's example boundary, 1.99, cannot arise from 24 credits: grades move the total
    by at least half a point (a half credit, one letter), so the nearest GPA under 2.0 from 24
    credits is 2 - 0.5/24 = 1.979 (1.99 needs at least 50 credits). GPAs are truncated."""
    rows = with_grade(transcript(), "C")
    rows = [{**r, "grade": "D"} if r["course"] == "PFL" else r for r in rows]
    goal = run(kb, rows)
    gpa = requirement(goal, "gpa")
    assert gpa.value == pytest.approx(1.979, abs=1e-9)
    assert gpa.status == "unmet"
    assert only_unmet(goal) == {"gpa"}
    assert goal.status == "unmet"


# --------------------------------------------------------------------------------------------
# Personal financial literacy (cohort entering grade 9 in 2023-24 onward)
# --------------------------------------------------------------------------------------------


def test_no_personal_financial_literacy_is_unmet(kb: Knowledge) -> None:
    """Checklist: "Personal Financial Literacy 0.5": 24 credits with Sociology in its place still
    fall short."""
    goal = run(kb, transcript(personal_financial_literacy=[take("SOC", 10, term="fall")]))
    assert earned(goal, "total_credits") == 24
    assert requirement(goal, "personal_financial_literacy").status == "unmet"
    assert only_unmet(goal) == {"personal_financial_literacy"}
    assert goal.status == "unmet"


def test_honors_personal_financial_literacy_counts(kb: Knowledge) -> None:
    goal = run(kb, transcript(personal_financial_literacy=[take("PFLH", 11, term="spring")]))
    assert requirement(goal, "personal_financial_literacy").status == "met"


# --------------------------------------------------------------------------------------------
# Science: 3 credits, Biology 1, two with a laboratory component
# --------------------------------------------------------------------------------------------


def test_only_one_lab_science_is_unmet(kb: Knowledge) -> None:
    """Checklist: "2 of the 3 must have a lab": Biology 1 plus two equally rigorous CTE science
    courses (Agriscience Foundations 1, Biotechnology 1; no laboratory component in this catalog)
    is three science credits but one lab."""
    science = [take("BIO", 9), take("AGFOUND", 10), take("BIOTECH1", 11)]
    goal = run(kb, transcript(science=science))
    assert requirement(goal, "science").status == "met"
    lab = requirement(goal, "science_lab")
    assert lab.status == "unmet"
    assert earned(goal, "science_lab") == 1
    assert only_unmet(goal) == {"science_lab"}
    assert goal.status == "unmet"


def test_exactly_two_lab_sciences_is_met(kb: Knowledge) -> None:
    """Biology 1 and Chemistry 1 (labs) with Agriscience Foundations 1: two labs, enough."""
    science = [take("BIO", 9), take("AGFOUND", 10), take("CHEM", 11)]
    goal = run(kb, transcript(science=science))
    assert requirement(goal, "science_lab").status == "met"
    assert goal.status == "met"


def test_three_sciences_without_biology_1_is_unmet(kb: Knowledge) -> None:
    """Checklist: "Must include Biology 1": Earth/Space Science, Chemistry and Physics are not
    enough."""
    science = [take("ESS", 9), take("CHEM", 10), take("PHYS", 11)]
    goal = run(kb, transcript(science=science))
    node = requirement(goal, "science")
    assert node.status == "unmet"
    assert child(node, "Biology 1").status == "unmet"
    assert requirement(goal, "science_lab").status == "met"


# --------------------------------------------------------------------------------------------
# Mathematics: 4 credits including Algebra 1 and Geometry
# --------------------------------------------------------------------------------------------


def test_four_math_credits_without_geometry_are_unmet(kb: Knowledge) -> None:
    """Checklist: "Must include Algebra 1 and Geometry": Liberal Arts Mathematics 1 in place of
    Geometry."""
    math = [take("ALG1", 9), take("LAMATH1", 10), take("ALG2", 11), take("MCR", 12)]
    goal = run(kb, transcript(math=math))
    assert requirement(goal, "math").status == "unmet"
    assert only_unmet(goal) == {"math"}


def test_two_year_algebra_1_counts_as_two_of_the_four_credits(kb: Knowledge) -> None:
    """Algebra 1-A and 1-B (two credits), Geometry and Algebra 2: four credits with Algebra 1."""
    math = [take("ALG1A", 9), take("ALG1B", 10), take("GEOM", 11), take("ALG2", 12)]
    goal = run(kb, transcript(math=math))
    assert requirement(goal, "math").status == "met"
    assert goal.status == "met"


# --------------------------------------------------------------------------------------------
# Assessments: grade 10 ELA and Algebra 1 EOC, or concordant / comparative scores
# --------------------------------------------------------------------------------------------

ELA_PASS = PASSED_TESTS[0]


def algebra_result(kb: Knowledge, *experiences: dict[str, Any]) -> tuple[GoalResult, str]:
    goal = run(kb, transcript(), [ELA_PASS, *experiences])
    return goal, requirement(goal, "algebra_1_assessment").status


def test_missing_algebra_1_assessment_is_unmet(kb: Knowledge) -> None:
    """Checklist: "Pass ... the Algebra 1 EOC": every course and the GPA met, no passing Algebra 1
    result."""
    goal, status = algebra_result(kb)
    assert status == "unmet"
    assert only_unmet(goal) == {"algebra_1_assessment"}
    assert goal.status == "unmet"


@pytest.mark.parametrize(
    ("test_id", "score", "status"),
    [
        pytest.param("fl-best-algebra-1-eoc", 2, "unmet", id="eoc-level-2"),
        pytest.param("fl-best-algebra-1-eoc", 3, "met", id="eoc-level-3"),
        pytest.param("act-math", 15, "unmet", id="act-math-15"),
        pytest.param("act-math", 16, "met", id="act-math-16"),
        pytest.param("fl-best-geometry-eoc", 3, "met", id="geometry-eoc-level-3"),
    ],
)
def test_algebra_1_assessment_passing_and_comparative_scores(
    kb: Knowledge, test_id: str, score: float, status: str
) -> None:
    """Passing is Achievement Level 3; comparative scores ACT Math 16, Geometry EOC Level 3."""
    _, found = algebra_result(kb, {"kind": "assessment", "id": test_id, "score": score})
    assert found == status


@pytest.mark.parametrize(
    ("test_id", "score", "status"),
    [
        pytest.param("fl-fast-ela-10", 2, "unmet", id="fast-level-2"),
        pytest.param("fl-fast-ela-10", 3, "met", id="fast-level-3"),
        pytest.param("act-english-reading-avg", 17, "unmet", id="act-avg-17"),
        pytest.param("act-english-reading-avg", 18, "met", id="act-avg-18"),
    ],
)
def test_grade_10_ela_assessment_and_concordant_scores(
    kb: Knowledge, test_id: str, score: float, status: str
) -> None:
    """Passing is Achievement Level 3; concordant score ACT English/Reading average 18."""
    experiences = [PASSED_TESTS[1], {"kind": "assessment", "id": test_id, "score": score}]
    goal = run(kb, transcript(), experiences)
    assert requirement(goal, "ela_assessment").status == status


# --------------------------------------------------------------------------------------------
# Other subject areas and the grading scale
# --------------------------------------------------------------------------------------------


def test_social_studies_without_economics_is_unmet(kb: Knowledge) -> None:
    """Checklist: "U.S. Government 0.5, Economics 0.5": Psychology in Economics' place."""
    social = [*COMPLETE["social_studies"][:3], take("PSYCH1", 12, term="spring")]
    electives = [r for r in COMPLETE["electives"] if r["course"] != "PSYCH1"]
    goal = run(kb, transcript(social_studies=social, electives=[*electives, take("SOC", 12)]))
    node = requirement(goal, "social_studies")
    assert node.status == "unmet"
    assert child(node, "Economics").status == "unmet"


def test_speech_and_debate_meets_the_arts_credit(kb: Knowledge) -> None:
    """Arts: "fine/performing arts, speech & debate"."""
    goal = run(kb, transcript(arts=[take("DEBATE1", 10)]))
    assert requirement(goal, "arts").status == "met"
    assert goal.status == "met"


def test_pe_other_than_hope_does_not_meet_the_pe_credit(kb: Knowledge) -> None:
    """Checklist: "Physical education 1, with integrated health (HOPE)": two semesters of Weight
    Training earn a credit of PE but not the HOPE credit."""
    pe = [take("WEIGHT1", 9, term="fall"), take("WEIGHT2", 9, term="spring")]
    goal = run(kb, transcript(pe=pe))
    assert requirement(goal, "pe").status == "unmet"
    assert earned(goal, "total_credits") == 24


@pytest.mark.parametrize(
    ("grade", "status"),
    [pytest.param(59, "unmet", id="59-is-F"), pytest.param(60, "met", id="60-is-D")],
)
def test_60_is_the_lowest_passing_grade(kb: Knowledge, grade: float, status: str) -> None:
    """§1003.437: D is 60-69 and passes; F (0-59) earns no credit."""
    english = [*COMPLETE["english"][:3], take("ENG4", 12, grade=grade)]
    goal = run(kb, transcript(english=english))
    assert requirement(goal, "english").status == status
