"""A career goal audits like any other goal: coursework, Perkins V concentrator, route.

Perkins V (published-rules.md §5b): a secondary CTE concentrator "has completed at least 2
courses in a single CTE program or program of study". The route for a Texas student is the
Texas diploma (careers/routes.yaml), so the route's status must follow tx-fhsp's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import Knowledge, audit, load_student
from engine.results import GoalResult

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "students"
NURSE = "career-registered-nurse"


def _student(name: str, *extra: dict[str, Any], drop: tuple[str, ...] = ()) -> Any:
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    rows = [r for r in data["transcript"] if r["course"] not in drop]
    data["transcript"] = [*rows, *extra]
    data["id"] = "S-CAREER-TEST"
    return load_student(data)


def _req(goal: GoalResult, name: str) -> Any:
    return next(r for r in goal.requirements if r.name == name)


def _row(course: str, grade: str = "A", level: int = 11) -> dict[str, Any]:
    return {"course": course, "grade_level": level, "term": "year", "grade": grade}


def _goals(kb: Knowledge, student: Any, *goals: str) -> dict[str, GoalResult]:
    result = audit(knowledge=kb, student=student, goals=[*goals])
    return {g.goal: g for g in result.goals}


def test_two_health_science_courses_make_a_texas_student_a_concentrator(kb: Knowledge) -> None:
    student = _student("tx-senior-complete.json", _row("PHS"), _row("MEDTERM", level=12))
    goals = _goals(kb, student, NURSE, "tx-fhsp")
    career = goals[NURSE]
    assert career.kind == "career_pathway"
    concentrator = _req(career, "concentrator")
    assert concentrator.status == "met"
    met = [c for c in concentrator.children if c.status == "met"]
    assert [c.title for c in met] == ["2 courses of the health-science program of study"]
    route = _req(career, "route")
    assert goals["tx-fhsp"].status == "met"
    assert route.status == "met"


def test_one_course_of_a_program_is_not_enough(kb: Knowledge) -> None:
    student = _student("tx-senior-complete.json", _row("PHS"))
    concentrator = _req(_goals(kb, student, NURSE)[NURSE], "concentrator")
    assert concentrator.status == "unmet"
    assert concentrator.progress is not None
    assert concentrator.progress.earned == 1


def test_two_courses_of_different_programs_are_not_a_concentrator(kb: Knowledge) -> None:
    # MEDTERM is health-science only; ANATPHYS is nursing-science only: one course in each.
    student = _student("tx-senior-complete.json", _row("MEDTERM"), _row("ANATPHYS", level=12))
    assert _req(_goals(kb, student, NURSE)[NURSE], "concentrator").status == "unmet"


@pytest.mark.parametrize(
    "sample", ["tx-senior-complete.json", "tx-junior-on-track.json", "tx-sophomore-off-track.json"]
)
def test_the_route_follows_the_texas_diploma(kb: Knowledge, sample: str) -> None:
    goals = _goals(kb, _student(sample), NURSE, "tx-fhsp")
    route = _req(goals[NURSE], "route")
    assert route.status == goals["tx-fhsp"].status
    for option in route.children:  # BSN and ADN both start from the Texas diploma
        assert option.status == goals["tx-fhsp"].status


def test_a_career_goal_counts_courses_that_the_diploma_also_counts(kb: Knowledge) -> None:
    student = _student("tx-senior-complete.json", _row("PHS"), _row("MEDTERM", level=12))
    goals = _goals(kb, student, NURSE, "tx-fhsp")
    assert _req(goals[NURSE], "math").status == "met"
    assert _req(goals["tx-fhsp"], "math").status == "met"


def test_a_california_student_is_routed_through_uc_or_csu_admission(kb: Knowledge) -> None:
    student = load_student(
        {
            "id": "S-CA-CAREER",
            "jurisdiction": "CA",
            "cohort": 2027,
            "grade_level": 10,
            "transcript": [],
        }
    )
    result = audit(knowledge=kb, student=student, goals=[NURSE])
    audited = [g.goal for g in result.goals]
    assert audited == [NURSE]
    route = _req(result.goals[0], "route")
    bsn = route.children[0]
    assert bsn.operator == "goal"
    assert "University of California" in bsn.title or "a-g" in bsn.title.lower()
    assert route.status == "unmet"


def test_every_texas_sample_audits_against_every_career(kb: Knowledge) -> None:
    student = _student("tx-junior-on-track.json")
    result = audit(knowledge=kb, student=student, goals=sorted(kb.careers.sets))
    assert len(result.goals) == len(kb.careers.sets)
    assert {g.kind for g in result.goals} == {"career_pathway"}
