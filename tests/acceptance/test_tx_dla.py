"""Texas Distinguished Level of Achievement (TEC §28.025(b-15), 19 TAC §74.11), 2025 catalog.

Written from ``../shared/reference/published-rules.md`` §3, "Checklist: Distinguished Level of
Achievement (DLA)": "FHSP, plus at least 1 endorsement, plus 4 math credits including Algebra II,
plus 4 science credits." An endorsement (§74.13) is itself the Foundation program with 26 credits,
a fourth math and a fourth science credit and the endorsement's sequence (test_tx_endorsements.py).

Courses are those of catalogs/tx/2025/courses.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine import GoalResult, Knowledge, RequirementResult, Student, audit

DLA = "tx-dla"
STEM = "tx-endorsement-stem"
PUBLIC = "tx-endorsement-public-services"

Row = dict[str, Any]


def take(course: str, level: int, grade: str | float | None = 88, **extra: Any) -> Row:
    return {"course": course, "grade_level": level, "grade": grade, **extra}


MATH = [take("ALG1", 9), take("GEOM", 10), take("ALG2", 11), take("PRECAL", 12)]  # 4
SCIENCE = [take("BIO", 9), take("CHEM", 10), take("PHYS", 11), take("ENVSYS", 12)]  # 4
REST = [
    take("ENG1", 9),
    take("ENG2", 10),
    take("ENG3", 11),
    take("ENG4", 12),
    take("WGEO", 9),
    take("USHIST", 11),
    take("USGOV", 12, term="fall"),
    take("ECON", 12, term="spring"),
    take("FPF", 9, term="fall"),
    take("TEAMSPT", 9, term="spring"),
    take("SPAN1", 9),
    take("SPAN2", 10),
    take("ART1", 10),
]  # English 4, social studies 3, PE 1, LOTE 2, fine arts 1 = 11
# Health Science: Principles, Medical Terminology, Theory and Clinical (advanced): a Public
# Services sequence (§74.13(f)(3)(A)) of 4 CTE credits.
HEALTH = [take("PHS", 9), take("MEDTERM", 10), take("HST", 11), take("HSCLIN", 11)]
NEUTRAL = [take("PALS", 11), take("READ1", 9), take("ATH1", 9)]  # electives in no sequence


def run(kb: Knowledge, rows: Sequence[Row], goals: Sequence[str] = (DLA,)) -> list[GoalResult]:
    student = Student.model_validate(
        {
            "id": "S-DLA",
            "jurisdiction": "TX",
            "cohort": 2029,
            "grade_level": 12,
            "catalog_year": 2025,
            "transcript": list(rows),
        }
    )
    result = audit(knowledge=kb, student=student, goals=list(goals))
    assert not result.unrecognized, result.unrecognized
    by_id = {g.goal: g for g in result.goals}  # policies may add goals (e.g. a redshirt check)
    return [by_id[g] for g in goals]


def requirement(goal: GoalResult, name: str) -> RequirementResult:
    return next(r for r in goal.requirements if r.name == name)


def test_foundation_endorsement_algebra_ii_4_math_4_science_is_met(kb: Knowledge) -> None:
    """Every checklist line: the Foundation program, a Public Services endorsement (26 credits),
    Algebra II among 4 math credits, 4 science credits."""
    rows = [*MATH, *SCIENCE, *REST, *HEALTH, *NEUTRAL]  # 4 + 4 + 11 + 4 + 3 = 26
    dla, public = run(kb, rows, (DLA, PUBLIC))
    assert public.status == "met"
    assert dla.status == "met"
    for r in dla.requirements:
        assert r.status == "met", r.name


def test_without_an_endorsement_it_is_unmet(kb: Knowledge) -> None:
    """Checklist, "at least 1 endorsement": the same 26 credits with neutral electives in place
    of the Health Science sequence meet no endorsement."""
    rows = [
        *MATH,
        *SCIENCE,
        *REST,
        *NEUTRAL,
        take("ATH2", 10),
        take("ATH3", 11),
        take("ATH4", 12),
        take("HEALTH", 9, term="fall"),
        take("STUDYSK", 9, term="spring"),
    ]
    (dla,) = run(kb, rows)
    assert requirement(dla, "endorsement").status == "unmet"
    for name in ("algebra_ii", "math", "science", "english", "total_credits"):
        assert requirement(dla, name).status == "met", name
    assert dla.status == "unmet"


def test_an_endorsement_without_algebra_ii_is_not_distinguished(kb: Knowledge) -> None:
    """Checklist, "4 math credits including Algebra II": Algebra I, Geometry, Algebraic
    Reasoning and Statistics are four math credits and earn the Public Services endorsement (no
    Algebra II needed there), but not the DLA."""
    math = [take("ALG1", 9), take("GEOM", 10), take("ALGREAS", 11), take("STATS", 12)]
    rows = [*math, *SCIENCE, *REST, *HEALTH, *NEUTRAL]
    dla, public = run(kb, rows, (DLA, PUBLIC))
    assert public.status == "met"
    assert requirement(dla, "endorsement").status == "met"
    assert requirement(dla, "math").status == "met"
    assert requirement(dla, "algebra_ii").status == "unmet"
    assert dla.status == "unmet"


def test_three_science_credits_is_not_distinguished(kb: Knowledge) -> None:
    """Checklist, "4 science credits": with Biology, Chemistry and Physics only (an elective in
    place of the fourth), neither the endorsement nor the DLA is earned."""
    rows = [*MATH, *SCIENCE[:3], *REST, *HEALTH, *NEUTRAL, take("ATH2", 10)]
    (dla,) = run(kb, rows)
    assert requirement(dla, "science").status == "unmet"
    assert requirement(dla, "endorsement").status == "unmet"
    assert dla.status == "unmet"


def test_three_math_credits_is_not_distinguished(kb: Knowledge) -> None:
    """Checklist, "4 math credits": Algebra I, Geometry and Algebra II only."""
    rows = [*MATH[:3], *SCIENCE, *REST, *HEALTH, *NEUTRAL, take("ATH2", 10)]
    (dla,) = run(kb, rows)
    assert requirement(dla, "math").status == "unmet"
    assert requirement(dla, "algebra_ii").status == "met"
    assert dla.status == "unmet"


def test_the_foundation_program_is_required(kb: Knowledge) -> None:
    """Checklist, "FHSP": without a language other than English the Foundation program is not
    complete."""
    rows = [
        *MATH,
        *SCIENCE,
        *[r for r in REST if r["course"] not in {"SPAN1", "SPAN2"}],
        *HEALTH,
        *NEUTRAL,
        take("ATH2", 10),
        take("ATH3", 11),
    ]
    (dla,) = run(kb, rows)
    assert requirement(dla, "lote").status == "unmet"
    assert dla.status == "unmet"


def test_any_one_of_the_endorsements_counts(kb: Knowledge) -> None:
    """Checklist, "at least 1 endorsement": STEM (an engineering sequence) for Public Services."""
    engineering = [take("POE", 9), take("ENGDES1", 10), take("ENGDES2", 11), take("ROBO1", 12)]
    rows = [*MATH, *SCIENCE, *REST, *engineering, *NEUTRAL]
    dla, stem, public = run(kb, rows, (DLA, STEM, PUBLIC))
    assert stem.status == "met"
    assert public.status == "unmet"
    assert dla.status == "met"


def test_an_endorsement_in_progress_makes_the_dla_in_progress(kb: Knowledge) -> None:
    """A senior whose advanced Health Science course is this year's: the endorsement, and so the
    DLA, is in progress."""
    health = [*HEALTH[:2], take("PLPS", 10), take("HST", 12, status="in_progress")]
    rows = [*MATH, *SCIENCE, *REST, *health, *NEUTRAL]
    (dla,) = run(kb, rows)
    assert requirement(dla, "endorsement").status == "in_progress"
    assert dla.status == "in_progress"
