"""New York Regents diploma (8 NYCRR §100.5), 2025 catalog: 22 units and the 4+1 Regents exams.

Written from ``../shared/reference/published-rules.md`` §4c and ``rule_params.json`` ``ny_regents``:
English 4, social studies 4 (U.S. History 1, Global History and Geography 2, Participation in
Government 1/2, Economics 1/2), mathematics 3, science 3 (life 1, physical 1, life or physical 1),
world languages 1, arts 1, physical education 2, health 1/2, electives 3 1/2, total 22; and a
score of 65 or more on the ELA exam, one math, one science and one social studies exam, plus one
more Regents exam or an approved "+1" pathway. The pathway options are those of NYSED's field
memo "Multiple Pathways to Graduation (4+1 option)" (14 April 2015): a second social studies
exam (Humanities), an exam in a different math or science course (STEM), an approved LOTE, CTE
or arts pathway assessment, and (June 2016) the CDOS commencement credential.

Courses are those of catalogs/ny/2025/courses.yaml; exam scores are assessment experiences.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

GOAL = "ny-regents"
CREDIT_AREAS = (
    "english",
    "social_studies",
    "math",
    "science",
    "world_language",
    "arts",
    "pe",
    "health",
)
EXAMS = ("regents_ela", "regents_math", "regents_science", "regents_social_studies", "pathway")

Row = dict[str, Any]
Exp = dict[str, Any]


def take(course: str, level: int, grade: str | float = 85, **extra: Any) -> Row:
    """One transcript row; a full-year course unless ``term=`` says otherwise."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


def exam(name: str, score: float, **extra: Any) -> Exp:
    """A Regents exam score, recorded as an assessment experience."""
    return {"kind": "assessment", "id": f"ny-regents-{name}", "score": score, **extra}


def credential(name: str) -> Exp:
    return {"kind": "credential", "id": name}


# A complete transcript of exactly 22 units, by line of the credit table.
COMPLETE: dict[str, list[Row]] = {
    "english": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12)],  # 4
    "social_studies": [
        take("GLOB1", 9),
        take("GLOB2", 10),
        take("USHIST", 11),
        take("PIG", 12, term="fall"),  # 1/2
        take("ECON", 12, term="spring"),  # 1/2
    ],  # 4
    "math": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11)],  # 3
    "science": [take("BIO", 9), take("ESS", 10), take("CHEM", 11)],  # life 1, physical 2
    "world_language": [take("SPAN1", 8)],  # 1 (Checkpoint A, earned in grade 8)
    "arts": [take("STUDART", 9)],  # 1
    "pe": [take("PE9", 9), take("PE10", 10), take("PE11", 11), take("PE12", 12)],  # 4 x 1/2
    "health": [take("HEALTH", 10, term="fall")],  # 1/2
    "electives": [
        take("CFM", 9, term="spring"),  # 1/2
        take("INTROPROG", 10),  # 1
        take("APCSP", 11),  # 1
        take("PSYCH", 12, term="fall"),  # 1/2
        take("SOC", 12, term="spring"),  # 1/2
    ],  # 3 1/2
}  # 4 + 4 + 3 + 3 + 1 + 1 + 2 + 0.5 + 3.5 = 22

# ELA, one math, one science, one social studies (4), and U.S. History as the +1 (Humanities).
FOUR = [
    exam("ela", 80),
    exam("algebra-1", 72),
    exam("life-science-biology", 75),
    exam("global-history-2", 70),
]
FOUR_PLUS_ONE = [*FOUR, exam("us-history", 68)]


def transcript(**areas: list[Row]) -> list[Row]:
    """The complete transcript with some areas' rows replaced."""
    unknown = set(areas) - set(COMPLETE)
    assert not unknown, unknown
    return [row for area, rows in COMPLETE.items() for row in areas.get(area, rows)]


def run(kb: Knowledge, rows: Sequence[Row], experiences: Sequence[Exp]) -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-NYREG",
            "jurisdiction": "NY",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
            "experiences": list(experiences),
        }
    )
    result = audit(knowledge=kb, student=student, goals=[GOAL])
    assert not result.unrecognized, result.unrecognized
    return result.goals[0]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def earned(goal: GoalResult, name: str) -> float:
    progress = requirement(goal, name).progress
    assert progress is not None
    return progress.earned


def only_failing(goal: GoalResult) -> set[str]:
    return {r.name for r in goal.requirements if r.status != "met"}


# --------------------------------------------------------------------------------------------
# The whole diploma
# --------------------------------------------------------------------------------------------


def test_exactly_22_units_and_4_plus_1_exams_is_met(kb: Knowledge) -> None:
    """Every line of the credit table at its minimum, 22 units in all, and five exams at 65+."""
    goal = run(kb, transcript(), FOUR_PLUS_ONE)
    assert goal.status == "met"
    assert only_failing(goal) == set()
    assert earned(goal, "total_units") == 22
    assert earned(goal, "electives") == 3.5


def test_21_5_units_with_every_area_met_is_unmet(kb: Knowledge) -> None:
    """ "Electives 3 1/2" and "Total 22": a half-unit course in place of a full-year elective."""
    electives = [
        *COMPLETE["electives"][:2],
        take("ROBOT", 11, term="fall"),
        *COMPLETE["electives"][3:],
    ]
    goal = run(kb, transcript(electives=electives), FOUR_PLUS_ONE)
    assert earned(goal, "total_units") == 21.5
    assert only_failing(goal) == {"electives", "total_units"}
    assert goal.status == "unmet"


# --------------------------------------------------------------------------------------------
# Units of credit, one area short
# --------------------------------------------------------------------------------------------


def test_three_units_of_english_is_unmet_even_with_22_units(kb: Knowledge) -> None:
    """ "English 4": English 12 replaced by a full-year elective keeps 22 units but 3 of English."""
    english = COMPLETE["english"][:3]
    electives = [*COMPLETE["electives"], take("ACCT1", 12)]
    goal = run(kb, transcript(english=english, electives=electives), FOUR_PLUS_ONE)
    assert earned(goal, "total_units") == 22
    assert requirement(goal, "english").status == "unmet"
    assert earned(goal, "english") == 3
    assert only_failing(goal) == {"english"}
    assert goal.status == "unmet"


def test_no_physical_science_is_unmet(kb: Knowledge) -> None:
    """ "Science 3: life 1, physical 1, life or physical 1": three life sciences are not enough."""
    science = [take("BIO", 9), take("ENVSCI", 11), take("ANATPHYS", 12)]
    goal = run(kb, transcript(science=science), FOUR_PLUS_ONE)
    science_result = requirement(goal, "science")
    assert science_result.status == "unmet"
    assert earned(goal, "science") == 2  # 1 life + 1 "life or physical"; the third has no place
    physical = next(c for c in science_result.children if c.title == "Physical science (1 unit)")
    assert physical.status == "unmet"
    assert only_failing(goal) == {"science"}


def test_two_physical_and_one_life_science_is_met(kb: Knowledge) -> None:
    """The third science unit may be physical (Earth and Space Sciences and Chemistry)."""
    goal = run(kb, transcript(), FOUR_PLUS_ONE)
    assert requirement(goal, "science").status == "met"


def test_no_life_science_is_unmet(kb: Knowledge) -> None:
    science = [take("ESS", 9), take("CHEM", 10), take("PHYS", 11)]
    goal = run(kb, transcript(science=science), FOUR_PLUS_ONE)
    assert requirement(goal, "science").status == "unmet"
    assert only_failing(goal) == {"science"}


def test_social_studies_without_participation_in_government_is_unmet(kb: Knowledge) -> None:
    """ "Social studies 4: ... Participation in Government 1/2": Psychology does not replace it."""
    social = [
        *COMPLETE["social_studies"][:3],
        take("PSYCH", 12, term="fall"),
        COMPLETE["social_studies"][4],
    ]
    electives = [
        *COMPLETE["electives"][:3],
        take("LAWSOC", 12, term="fall"),
        COMPLETE["electives"][4],
    ]
    goal = run(kb, transcript(social_studies=social, electives=electives), FOUR_PLUS_ONE)
    assert requirement(goal, "social_studies").status == "unmet"
    assert "social_studies" in only_failing(goal)


def test_one_year_of_global_history_is_unmet(kb: Knowledge) -> None:
    """ "Global History & Geography 2"."""
    social = [take("APHG", 9), *COMPLETE["social_studies"][1:]]
    goal = run(kb, transcript(social_studies=social), FOUR_PLUS_ONE)
    assert requirement(goal, "social_studies").status == "unmet"
    assert only_failing(goal) == {"social_studies"}


def test_one_and_a_half_units_of_pe_is_unmet(kb: Knowledge) -> None:
    """ "Physical education 2": three years of PE and a half-unit elective leave PE short."""
    pe = COMPLETE["pe"][:3]
    electives = [*COMPLETE["electives"], take("DANCE", 12, term="fall")]
    goal = run(kb, transcript(pe=pe, electives=electives), FOUR_PLUS_ONE)
    assert earned(goal, "pe") == 1.5
    assert only_failing(goal) == {"pe"}


def test_no_health_is_unmet(kb: Knowledge) -> None:
    """ "Health 1/2"."""
    goal = run(
        kb,
        transcript(health=[], electives=[*COMPLETE["electives"], take("CERAM", 12, term="fall")]),
        FOUR_PLUS_ONE,
    )
    assert only_failing(goal) == {"health"}


def test_no_world_language_is_unmet(kb: Knowledge) -> None:
    """ "World languages 1"."""
    goal = run(
        kb,
        transcript(world_language=[], electives=[*COMPLETE["electives"], take("ACCT1", 12)]),
        FOUR_PLUS_ONE,
    )
    assert only_failing(goal) == {"world_language"}


def test_design_and_drawing_for_production_earns_the_arts_unit(kb: Knowledge) -> None:
    """NYSED: DDP "is an approved course to meet the one unit of art/music requirement"."""
    goal = run(kb, transcript(arts=[take("DDP", 9)]), FOUR_PLUS_ONE)
    assert requirement(goal, "arts").status == "met"
    assert goal.status == "met"


def test_no_arts_unit_is_unmet(kb: Knowledge) -> None:
    """ "Arts 1": a year of a non-arts CTE course in its place leaves the arts unmet."""
    goal = run(kb, transcript(arts=[take("IED", 9)]), FOUR_PLUS_ONE)
    assert only_failing(goal) == {"arts"}


# --------------------------------------------------------------------------------------------
# Regents exams: 65 to pass
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("score", "status"), [(64, "unmet"), (65, "met"), (99, "met")])
def test_ela_exam_passes_at_65(kb: Knowledge, score: float, status: str) -> None:
    """ "A score of 65 or more on ELA": 64 fails, 65 passes."""
    exams = [exam("ela", score), *FOUR_PLUS_ONE[1:]]
    goal = run(kb, transcript(), exams)
    assert requirement(goal, "regents_ela").status == status
    assert goal.status == status


@pytest.mark.parametrize(("score", "status"), [(64, "unmet"), (65, "met")])
def test_only_math_exam_passes_at_65(kb: Knowledge, score: float, status: str) -> None:
    exams = [FOUR[0], exam("algebra-1", score), *FOUR_PLUS_ONE[2:]]
    goal = run(kb, transcript(), exams)
    assert requirement(goal, "regents_math").status == status
    assert only_failing(goal) == (set() if status == "met" else {"regents_math"})


def test_any_science_exam_counts(kb: Knowledge) -> None:
    """ "One science exam": Chemistry in place of Life Science: Biology."""
    exams = [*FOUR[:2], exam("chemistry", 66), *FOUR_PLUS_ONE[3:]]
    goal = run(kb, transcript(), exams)
    assert requirement(goal, "regents_science").status == "met"
    assert goal.status == "met"


def test_us_history_alone_is_the_social_studies_exam(kb: Knowledge) -> None:
    """ "One social studies exam (Global or U.S.)" with a STEM +1 (Geometry)."""
    exams = [*FOUR[:3], exam("us-history", 65), exam("geometry", 70)]
    goal = run(kb, transcript(), exams)
    assert requirement(goal, "regents_social_studies").status == "met"
    assert requirement(goal, "pathway").status == "met"
    assert goal.status == "met"


def test_no_science_exam_is_unmet(kb: Knowledge) -> None:
    exams = [FOUR[0], FOUR[1], FOUR[3], exam("us-history", 68)]
    goal = run(kb, transcript(), exams)
    assert only_failing(goal) == {"regents_science"}


# --------------------------------------------------------------------------------------------
# The +1 pathway
# --------------------------------------------------------------------------------------------


def test_four_exams_without_a_pathway_is_unmet(kb: Knowledge) -> None:
    """ "One more Regents exam or an approved +1 pathway": four exams alone fall short."""
    goal = run(kb, transcript(), FOUR)
    for name in EXAMS[:4]:
        assert requirement(goal, name).status == "met", name
    assert requirement(goal, "pathway").status == "unmet"
    assert only_failing(goal) == {"pathway"}
    assert goal.status == "unmet"


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        pytest.param([exam("us-history", 65)], "met", id="humanities-second-social-studies"),
        pytest.param([exam("us-history", 64)], "unmet", id="humanities-at-64"),
        pytest.param([exam("geometry", 65)], "met", id="stem-second-math"),
        pytest.param([exam("algebra-2", 80)], "met", id="stem-algebra-2"),
        pytest.param([exam("earth-space-sciences", 65)], "met", id="stem-second-science"),
        pytest.param([exam("physics", 64)], "unmet", id="stem-second-science-at-64"),
        pytest.param(
            [exam("living-environment", 90)], "unmet", id="living-environment-is-the-same-course"
        ),
        pytest.param([exam("ela", 90)], "unmet", id="ela-retaken-is-not-a-different-exam"),
        pytest.param([credential("ny-pathway-cte")], "met", id="cte-pathway"),
        pytest.param([credential("ny-pathway-arts")], "met", id="arts-pathway"),
        pytest.param([credential("ny-pathway-lote")], "met", id="lote-pathway"),
        pytest.param([credential("ny-cdos")], "met", id="cdos-credential"),
    ],
)
def test_pathway_options(kb: Knowledge, extra: list[Exp], status: str) -> None:
    """The fifth assessment: each option of the 2015 field memo (and CDOS, June 2016)."""
    goal = run(kb, transcript(), [*FOUR, *extra])
    assert requirement(goal, "pathway").status == status
    assert goal.status == status


def test_a_scheduled_pathway_exam_is_in_progress(kb: Knowledge) -> None:
    """A pathway exam the student is scheduled to sit leaves the diploma in progress, as a
    planned course does."""
    planned = {"kind": "assessment", "id": "ny-regents-us-history", "status": "planned"}
    goal = run(kb, transcript(), [*FOUR, planned])
    assert requirement(goal, "pathway").status == "in_progress"
