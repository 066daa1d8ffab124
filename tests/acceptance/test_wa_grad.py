"""Washington 24-credit diploma (WAC 180-51-210, first adopted as WAC 180-51-068), 2025 catalog.

Written from ``../shared/reference/published-rules.md`` §4a, "Checklist (24 credits)", and
``rule_params.json`` ``wa_24``: English 4; math 3 (Algebra 1 / Integrated Math I, Geometry /
Integrated Math II, a third credit); science 3 with at least 2 lab; social studies 3 (U.S. History
1.0, Civics 0.5, Contemporary World Problems 0.5, 1.0 more); arts 2 ("1 may be a Personalized
Pathway Requirement"); world language 2 ("both may be PPR"); health and fitness 2 ("0.5 health +
1.5 fitness"); career and technical education 1; electives 4; total 24. Non-credit: a High School
and Beyond Plan, a graduation pathway, Washington State History ("may be taken in grades 7-8").

Courses are those of catalogs/wa/2025/courses.yaml; the non-credit items are the credentials the
rule file documents (wa-hsbp, wa-pathway-*, wa-state-history, wa-personalized-pathway).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

GOAL = "wa-grad"
CREDIT_AREAS = (
    "english",
    "math",
    "science",
    "social_studies",
    "arts",
    "world_language",
    "health_fitness",
    "cte",
)
NON_CREDIT = ("hsbp", "graduation_pathway", "state_history")

Row = dict[str, Any]


def take(course: str, level: int, grade: str | float | None = "B", **extra: Any) -> Row:
    """One transcript row; a full-year course unless ``term=`` says otherwise."""
    return {"course": course, "grade_level": level, "grade": grade, **extra}


def credential(cid: str, status: str = "completed", level: int = 12) -> dict[str, Any]:
    return {"kind": "credential", "id": cid, "status": status, "grade_level": level}


# A complete 24-credit transcript, by checklist line.
COMPLETE: dict[str, list[Row]] = {
    "english": [take("ENG1", 9), take("ENG2", 10), take("ENG3", 11), take("ENG4", 12)],  # 4
    "math": [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11)],  # 3
    "science": [take("BIO", 9), take("CHEM", 10), take("ESS", 11)],  # 3, all lab
    "social_studies": [
        take("WHIST", 9),
        take("USHIST", 11),
        take("CIVICS", 12, term="fall"),  # 0.5
        take("CWP", 12, term="spring"),  # 0.5
    ],  # 3
    "arts": [
        take("ART1", 9, term="fall"),  # 0.5
        take("CERAM1", 9, term="spring"),  # 0.5
        take("BAND1", 10),
    ],  # 2
    "world_language": [take("SPAN1", 9), take("SPAN2", 10)],  # 2
    "health_fitness": [
        take("HEALTH", 9, term="fall"),
        take("FITFOUND", 9, term="spring"),
        take("TEAMSPT", 10, term="fall"),
        take("WTTRAIN", 11, term="fall"),
    ],  # 0.5 health + 1.5 fitness
    "cte": [take("CULIN1", 10)],  # 1
    "electives": [
        take("AVID", 9),
        take("LEADER", 11),
        take("PSYCH", 11, term="fall"),  # 0.5
        take("SOC", 11, term="spring"),  # 0.5
        take("ETHNIC", 12, term="fall"),  # 0.5
        take("TA", 12, term="spring"),  # 0.5
    ],  # 4: none of them a math, science, arts, language, fitness or CTE course
}  # 4 + 3 + 3 + 3 + 2 + 2 + 2 + 1 + 4 = 24

NON_CREDIT_DONE = [
    credential("wa-hsbp"),
    credential("wa-state-history", level=8),
    credential("wa-pathway-ela:state-assessment", level=11),
    credential("wa-pathway-math:state-assessment", level=11),
]
HSBP_AND_HISTORY = NON_CREDIT_DONE[:2]


def transcript(**areas: list[Row]) -> list[Row]:
    """The complete transcript with some areas' rows replaced."""
    unknown = set(areas) - set(COMPLETE)
    assert not unknown, unknown
    return [row for area, rows in COMPLETE.items() for row in areas.get(area, rows)]


def run(
    kb: Knowledge, rows: Sequence[Row], experiences: Sequence[dict[str, Any]] = NON_CREDIT_DONE
) -> GoalResult:
    student = Student.model_validate(
        {
            "id": "S-WA-GRAD",
            "jurisdiction": "WA",
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


def only_unmet(goal: GoalResult) -> list[str]:
    return [r.name or "" for r in goal.requirements if r.status != "met"]


# --------------------------------------------------------------------------------------------
# The whole diploma: 24 credits and the non-credit requirements
# --------------------------------------------------------------------------------------------


def test_exactly_24_credits_with_every_requirement_is_met(kb: Knowledge) -> None:
    """Checklist, every line, "24 credits": each area at its minimum and exactly 24 credits,
    with a High School and Beyond Plan, a graduation pathway and Washington State History."""
    goal = run(kb, transcript())
    assert goal.status == "met"
    assert only_unmet(goal) == []
    assert earned(goal, "total_credits") == 24
    assert earned(goal, "electives") == 4


def test_23_5_credits_with_every_area_met_is_unmet(kb: Knowledge) -> None:
    """Checklist: "Electives 4" and the 24-credit total: one half-credit elective fewer leaves 23.5
    credits; every subject area is still met."""
    electives = COMPLETE["electives"][:-1]
    goal = run(kb, transcript(electives=electives))
    for name in CREDIT_AREAS:
        assert requirement(goal, name).status == "met", name
    assert earned(goal, "total_credits") == 23.5
    assert only_unmet(goal) == ["electives", "total_credits"]
    assert goal.status == "unmet"


def test_a_course_in_a_subject_area_is_not_also_an_elective(kb: Knowledge) -> None:
    """The areas add up to 24, so 23 credits (three electives) cannot reach four electives by
    counting an English or science course twice."""
    goal = run(kb, transcript(electives=COMPLETE["electives"][:-2]))
    assert earned(goal, "electives") == 3
    assert only_unmet(goal) == ["electives", "total_credits"]


@pytest.mark.parametrize(
    ("missing", "name"),
    [
        pytest.param(["wa-hsbp"], "hsbp", id="no-high-school-and-beyond-plan"),
        pytest.param(
            ["wa-pathway-ela:state-assessment", "wa-pathway-math:state-assessment"],
            "graduation_pathway",
            id="no-pathway",
        ),
        pytest.param(["wa-state-history"], "state_history", id="no-washington-state-history"),
    ],
)
def test_each_non_credit_requirement_is_required(
    kb: Knowledge, missing: list[str], name: str
) -> None:
    """Checklist, non-credit requirements: "a High School and Beyond Plan (HSBP); Washington State
    History; a graduation pathway". 24 credits alone do not earn the diploma."""
    experiences = [e for e in NON_CREDIT_DONE if e["id"] not in missing]
    goal = run(kb, transcript(), experiences)
    assert earned(goal, "total_credits") == 24
    assert only_unmet(goal) == [name]
    assert goal.status == "unmet"


def test_a_plan_still_being_written_is_in_progress(kb: Knowledge) -> None:
    """An HSBP the school records as under way (planned) leaves the diploma in progress."""
    experiences = [*NON_CREDIT_DONE[1:], credential("wa-hsbp", status="planned")]
    goal = run(kb, transcript(), experiences)
    assert requirement(goal, "hsbp").status == "in_progress"
    assert goal.status == "in_progress"


@pytest.mark.parametrize(
    ("pathway", "status"),
    [
        pytest.param(["wa-pathway-asvab"], "met", id="asvab"),
        pytest.param(["wa-pathway-cte-sequence"], "met", id="cte-sequence"),
        pytest.param(
            ["wa-pathway-ela:sat-act", "wa-pathway-math:sat-act"], "met", id="sat-act-both"
        ),
        pytest.param(
            ["wa-pathway-ela:ap-ib-cambridge", "wa-pathway-math:transition-course"],
            "met",
            id="combination-of-ela-and-math-options",
        ),
        pytest.param(["wa-pathway-ela:dual-credit"], "unmet", id="ela-option-without-math"),
        pytest.param(["wa-pathway-math:state-assessment"], "unmet", id="math-option-without-ela"),
    ],
)
def test_graduation_pathway_options(kb: Knowledge, pathway: list[str], status: str) -> None:
    """Checklist: "a graduation pathway: state tests, dual credit, AP/IB, SAT/ACT, ASVAB, a CTE
    sequence, or another listed option". One option is enough; the English-and-math options
    (state tests, dual credit, AP/IB, SAT/ACT, transition courses) need both halves, in any
    combination (SBE pathway options; district restatements)."""
    experiences = [*HSBP_AND_HISTORY, *(credential(p) for p in pathway)]
    goal = run(kb, transcript(), experiences)
    assert requirement(goal, "graduation_pathway").status == status
    assert goal.status == status


def test_dual_credit_english_and_math_courses_meet_the_pathway(kb: Knowledge) -> None:
    """Dual credit option: "at least one high school credit in ELA and at least one in math in
    dual credit courses" (College in the High School here), with no pathway recorded."""
    rows = transcript(
        english=[*COMPLETE["english"][:3], take("DCENG101", 12)],
        electives=[*COMPLETE["electives"][1:], take("DCMATH107", 12)],
    )
    goal = run(kb, rows, HSBP_AND_HISTORY)
    assert requirement(goal, "graduation_pathway").status == "met"
    assert earned(goal, "total_credits") == 24
    assert goal.status == "met"
    only_english = run(kb, transcript(english=rows[:4]), HSBP_AND_HISTORY)
    assert requirement(only_english, "graduation_pathway").status == "unmet"


def test_state_history_course_in_high_school_meets_it_and_still_earns_credit(
    kb: Knowledge,
) -> None:
    """Washington State History "may be taken in grades 7-8"; taken in high school instead, the
    half-credit course meets it and its credit still counts (here as social studies, with
    Psychology, in place of World History)."""
    social = [
        take("WASTHIST", 9, term="fall"),
        take("PSYCH", 10, term="spring"),
        *COMPLETE["social_studies"][1:],
    ]
    goal = run(kb, transcript(social_studies=social), [NON_CREDIT_DONE[0], *NON_CREDIT_DONE[2:]])
    assert requirement(goal, "state_history").status == "met"
    assert requirement(goal, "social_studies").status == "met"
    assert earned(goal, "total_credits") == 24
    assert goal.status == "met"


# --------------------------------------------------------------------------------------------
# Subject areas
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param(COMPLETE["science"], "met", id="three-lab-sciences"),
        pytest.param(
            [take("BIO", 9), take("CHEM", 10), take("ASTRO", 11)],
            "met",
            id="third-credit-need-not-be-lab",
        ),
        pytest.param(
            [take("BIO", 9), take("ASTRO", 10), take("OCEAN", 11)],
            "unmet",
            id="only-one-lab-science",
        ),
    ],
)
def test_science_needs_two_lab_credits(kb: Knowledge, rows: list[Row], status: str) -> None:
    """Checklist: "Science, 3: At least 2 lab credits; the 3rd chosen per the HSBP"."""
    goal = run(kb, transcript(science=rows))
    science = requirement(goal, "science")
    assert science.status == status
    assert goal.status == status
    if status == "unmet":
        assert earned(goal, "total_credits") == 24
        lab = science.children[0]
        assert lab.status == "unmet"
        assert lab.progress is not None
        assert lab.progress.earned == 1


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param(COMPLETE["math"], "met", id="algebra-1-geometry-algebra-2"),
        pytest.param(
            [take("IM1", 9), take("IM2", 10), take("IM3", 11)], "met", id="integrated-i-ii-iii"
        ),
        pytest.param(
            [take("ALG1", 8), take("GEOM", 9), take("ALG2", 10)],
            "met",
            id="algebra-1-in-grade-8-counts",
        ),
        pytest.param(
            [take("ALG1", 9), take("GEOM", 10), take("CPROG1", 11)],
            "met",
            id="cte-math-equivalency-as-third-credit",
        ),
        pytest.param(
            [take("ALG1", 9), take("ALG2", 10), take("PRECAL", 11)], "unmet", id="no-geometry"
        ),
        pytest.param(
            [take("PREALG", 9), take("ALG1", 10), take("GEOM", 11)],
            "unmet",
            id="below-algebra-1-is-not-a-third-credit",
        ),
    ],
)
def test_mathematics(kb: Knowledge, rows: list[Row], status: str) -> None:
    """Checklist: "Math, 3: Algebra 1 / Integrated Math I; Geometry / Integrated Math II; a 3rd
    credit"; WAC 180-51-068(2)(b): high-school math passed before grade 9 counts. The third credit
    is "high school mathematics" (a CTE course with a statewide math equivalency may stand in)."""
    goal = run(kb, transcript(math=rows))
    assert requirement(goal, "math").status == status
    assert goal.status == status


@pytest.mark.parametrize(
    ("rows", "status"),
    [
        pytest.param(COMPLETE["social_studies"], "met", id="us-history-civics-cwp-world"),
        pytest.param(
            [take("APHG", 9), take("APUSH", 11), *COMPLETE["social_studies"][2:]],
            "met",
            id="ap-courses",
        ),
        pytest.param(
            [
                *COMPLETE["social_studies"][:2],
                take("APMACRO", 12, term="fall"),
                COMPLETE["social_studies"][3],
            ],
            "unmet",
            id="no-civics",
        ),
        pytest.param(
            [*COMPLETE["social_studies"][:3], take("ECON", 12, term="spring")],
            "unmet",
            id="no-contemporary-world-problems",
        ),
        pytest.param(
            [take("WHIST", 9), take("APGOV", 11), *COMPLETE["social_studies"][2:]],
            "unmet",
            id="no-us-history",
        ),
    ],
)  # fmt: skip
def test_social_studies(kb: Knowledge, rows: list[Row], status: str) -> None:
    """Checklist: "Social studies, 3: 1.0 U.S. History; 0.5 Civics (stand-alone course, RCW
    28A.230.094); 0.5 Contemporary World Problems; 1.0 social studies elective"."""
    goal = run(kb, transcript(social_studies=rows))
    assert requirement(goal, "social_studies").status == status
    assert earned(goal, "total_credits") == 24
    assert goal.status == status


def test_health_without_fitness_or_fitness_without_health(kb: Knowledge) -> None:
    """Checklist: "Health & fitness, 2: 0.5 health + 1.5 fitness": two fitness credits and no health
    fall short even at 2 credits."""
    fitness_only = [
        take("FITFOUND", 9, term="fall"),
        take("TEAMSPT", 9, term="spring"),
        take("WTTRAIN", 10, term="fall"),
        take("LIFEFIT", 11, term="fall"),
    ]
    goal = run(kb, transcript(health_fitness=fitness_only))
    assert requirement(goal, "health_fitness").status == "unmet"
    assert earned(goal, "total_credits") == 24
    assert goal.status == "unmet"


def test_no_cte_credit_is_unmet(kb: Knowledge) -> None:
    """Checklist: "Career & technical education, 1": 24 credits without a CTE course (AP Art
    History, an arts course, in place of Culinary Arts 1) fall short."""
    goal = run(kb, transcript(cte=[take("APARTH", 10)]))
    assert requirement(goal, "cte").status == "unmet"
    assert earned(goal, "total_credits") == 24
    assert only_unmet(goal) == ["cte"]


def test_a_passing_d_earns_credit_and_an_f_does_not(kb: Knowledge) -> None:
    """A course earns its credit only when passed (this campus: 60 or above on 100)."""
    passing = run(kb, transcript(english=[*COMPLETE["english"][:3], take("ENG4", 12, 60)]))
    assert requirement(passing, "english").status == "met"
    failing = run(kb, transcript(english=[*COMPLETE["english"][:3], take("ENG4", 12, 59)]))
    assert requirement(failing, "english").status == "unmet"
    assert earned(failing, "total_credits") == 23


# --------------------------------------------------------------------------------------------
# Personalized pathway requirements (PPR)
# --------------------------------------------------------------------------------------------

PPR = credential("wa-personalized-pathway", level=9)


@pytest.mark.parametrize(
    ("with_ppr", "status"),
    [pytest.param(True, "met", id="ppr"), pytest.param(False, "unmet", id="no-ppr")],
)
def test_one_arts_credit_may_be_a_ppr(kb: Knowledge, with_ppr: bool, status: str) -> None:
    """Checklist: "Arts, 2: 1 may be a Personalized Pathway Requirement": one arts credit plus a
    course from the student's personalized pathway (Automotive Technology 1) meets it only when the
    plan names a personalized pathway."""
    arts = [*COMPLETE["arts"][:2], take("AUTO1", 10)]
    experiences = [*NON_CREDIT_DONE, PPR] if with_ppr else NON_CREDIT_DONE
    goal = run(kb, transcript(arts=arts), experiences)
    assert requirement(goal, "arts").status == status
    assert earned(goal, "total_credits") == 24
    assert goal.status == status


def test_ppr_never_replaces_both_arts_credits(kb: Knowledge) -> None:
    """Only one of the two arts credits may be a PPR: no arts course at all is unmet."""
    arts = [take("AUTO1", 10), take("WELD1", 11)]
    goal = run(kb, transcript(arts=arts), [*NON_CREDIT_DONE, PPR])
    assert requirement(goal, "arts").status == "unmet"
    assert goal.status == "unmet"


@pytest.mark.parametrize(
    ("rows", "with_ppr", "status"),
    [
        pytest.param([take("CPROG1", 9), take("CPROG2", 10)], True, "met", id="two-ppr-credits"),
        pytest.param(
            [take("SPAN1", 9), take("CPROG2", 10)], True, "met", id="one-language-one-ppr"
        ),
        pytest.param([take("CPROG1", 9), take("CPROG2", 10)], False, "unmet", id="no-plan-pathway"),
    ],
)  # fmt: skip
def test_world_language_credits_may_be_ppr(
    kb: Knowledge, rows: list[Row], with_ppr: bool, status: str
) -> None:
    """Checklist: "World language, 2: Both may be PPR"."""
    experiences = [*NON_CREDIT_DONE, PPR] if with_ppr else NON_CREDIT_DONE
    goal = run(kb, transcript(world_language=rows), experiences)
    assert requirement(goal, "world_language").status == status
    assert goal.status == status


def test_ppr_credits_are_credits_the_24_must_still_include(kb: Knowledge) -> None:
    """Checklist: "World language, 2: Both may be PPR" and "24 credits": PPRs are credits, so a
    student whose plan names a pathway but who simply drops the two world-language credits has
    22 credits and is short."""
    goal = run(kb, transcript(world_language=[]), [*NON_CREDIT_DONE, PPR])
    assert requirement(goal, "world_language").status == "met"
    assert earned(goal, "total_credits") == 22
    assert only_unmet(goal) == ["total_credits"]
    assert goal.status == "unmet"


# --------------------------------------------------------------------------------------------
# Work under way
# --------------------------------------------------------------------------------------------


def test_senior_year_under_way_is_in_progress(kb: Knowledge) -> None:
    """A senior whose grade-12 courses are under way meets the diploma only once they are
    passed: the audit is in progress."""
    rows = [
        {**row, "grade": None, "status": "in_progress"} if row["grade_level"] == 12 else row
        for row in transcript()
    ]
    goal = run(kb, rows)
    assert requirement(goal, "english").status == "in_progress"
    assert requirement(goal, "total_credits").status == "in_progress"
    assert goal.status == "in_progress"
