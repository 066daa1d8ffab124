"""The planner and what-if on locks no term can hold, a course locked twice, what-if differences
when a plan does not exist, and plans that do not depend on the order rows are sent in."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from engine import Knowledge, load_knowledge, load_student_file
from engine.errors import StudentDataError
from engine.planning import CourseLock, PlanConstraints, ScenarioSet, plan, whatif
from engine.planning.constraints import CONSTRAINTS
from engine.student import Student

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(ROOT)


def _sample(name: str) -> Student:
    return load_student_file(ROOT / "samples" / "students" / f"{name}.json")


def test_a_lock_no_term_left_can_hold_is_a_conflict_not_dropped(kb: Knowledge) -> None:
    # Physical Education 10 is open only to grade 10 (failed there); the student has grade 12
    # left. The plan must not come back "optimal" without the course the student locked in.
    cons = PlanConstraints(max_courses_per_term=12, lock=(CourseLock(course="PE10"),))
    result = plan(knowledge=kb, student=_sample("ny-junior-gaps"), constraints=cons)
    assert result.status == "infeasible"
    kinds = {(c.kind, c.course) for c in result.conflicts}
    assert ("locked", "PE10") in kinds
    assert ("grade_levels", "PE10") in kinds
    assert "open only to grade level 10" in result.message


def test_a_lock_with_no_term_left_at_all_is_named(kb: Knowledge) -> None:
    cons = PlanConstraints(lock=(CourseLock(course="APCSA"),))
    result = plan(knowledge=kb, student=_sample("tx-senior-complete"), constraints=cons)
    assert result.status == "infeasible"
    assert [(c.kind, c.course) for c in result.conflicts] == [("locked", "APCSA")]


def test_a_lock_the_transcript_already_holds_is_kept(kb: Knowledge) -> None:
    # ALG1 is in progress: the lock is met by that row, as before.
    cons = PlanConstraints(lock=(CourseLock(course="ALG1"),))
    result = plan(knowledge=kb, student=_sample("tx-sophomore-off-track"), constraints=cons)
    assert result.status == "optimal"


def test_a_course_locked_in_two_grades_names_both_locks(kb: Knowledge) -> None:
    cons = PlanConstraints(
        lock=(CourseLock(course="GEOM", grade_level=11), CourseLock(course="GEOM", grade_level=12))
    )
    result = plan(knowledge=kb, student=_sample("tx-sophomore-off-track"), constraints=cons)
    assert result.status == "infeasible"
    (locked,) = [c for c in result.conflicts if c.kind == "locked"]
    assert locked.text == "you locked in Geometry in grade 11 and in grade 12"


def test_an_unknown_locked_course_is_located_at_its_lock(kb: Knowledge) -> None:
    cons = PlanConstraints(lock=("GEOM", "NOPE"))  # type: ignore[arg-type]
    with pytest.raises(StudentDataError) as caught:
        plan(knowledge=kb, student=_sample("tx-sophomore-off-track"), constraints=cons)
    assert caught.value.source == CONSTRAINTS
    assert [p.loc for p in caught.value.problems] == [("lock", 1, "course")]


def test_an_unknown_lock_in_a_scenario_is_located_in_the_scenario(kb: Knowledge) -> None:
    spec = ScenarioSet.model_validate(
        {"scenarios": [{"name": "a", "constraints": {"lock": ["NOPE"]}}]}
    )
    with pytest.raises(StudentDataError) as caught:
        whatif(knowledge=kb, student=_sample("tx-sophomore-off-track"), scenarios=spec)
    assert caught.value.in_scenarios
    (problem,) = caught.value.problems
    assert problem.loc == ("scenarios", 0, "constraints", "lock", 0, "course")
    assert "invalid student record" not in problem.msg


def test_whatif_reports_no_plan_changes_when_the_scenario_has_no_plan(kb: Knowledge) -> None:
    spec = ScenarioSet.model_validate(
        {"scenarios": [{"name": "1 a term", "constraints": {"max_courses_per_term": 1}}]}
    )
    result = whatif(knowledge=kb, student=_sample("tx-sophomore-off-track"), scenarios=spec)
    assert result.base.plan.status == "optimal"
    assert result.base.plan.added_credits > 0
    (tight,) = result.scenarios
    assert tight.plan.status == "infeasible"
    assert (tight.credits_delta, tight.terms_delta) == (0.0, 0)
    assert tight.courses_added == () == tight.courses_removed
    assert "no plan exists" in tight.summary
    assert "drops" not in tight.summary


def test_whatif_reports_no_plan_changes_when_the_base_has_no_plan(kb: Knowledge) -> None:
    spec = ScenarioSet.model_validate(
        {
            "constraints": {"max_courses_per_term": 1},
            "scenarios": [{"name": "7 a term", "constraints": {"max_courses_per_term": 7}}],
        }
    )
    result = whatif(knowledge=kb, student=_sample("tx-sophomore-off-track"), scenarios=spec)
    assert result.base.plan.status == "infeasible"
    (loose,) = result.scenarios
    assert loose.plan.status == "optimal"
    assert (loose.credits_delta, loose.terms_delta) == (0.0, 0)
    assert loose.courses_added == () == loose.courses_removed
    assert "the base has none" in loose.summary


@pytest.mark.parametrize(
    "name", ["ca-sophomore-gaps", "fl-junior-gaps", "tx-sophomore-off-track", "ny-junior-gaps"]
)
def test_the_same_transcript_in_another_order_gets_the_same_plan(kb: Knowledge, name: str) -> None:
    """The audit does not depend on row order; the plan did (it broke ties between equally
    good plans by the order it met the rows): a portal sorting rows by date or by course must
    not show a counselor two plans."""
    student = _sample(name)
    expected = _plan_of(kb, student)
    rng = random.Random(7)
    for _ in range(5):
        rows = list(student.transcript)
        rng.shuffle(rows)
        assert _plan_of(kb, student.model_copy(update={"transcript": tuple(rows)})) == expected


def _plan_of(kb: Knowledge, student: Student) -> dict[str, object]:
    """The plan, less what follows the request's row order by design: the audit names rows by
    their place, and a term's ``existing`` courses are listed as the rows were sent (the solver
    also says how long it took)."""
    found = plan(knowledge=kb, student=student).model_dump(exclude={"audit", "solver"})
    for term in found["terms"]:
        term["existing"] = sorted(term["existing"])
    return found


def test_a_transfer_row_is_dropped_and_regraded_by_its_sced_code(kb: Knowledge) -> None:
    """Rows given only by a SCED code (a transfer transcript) have no catalog id to match."""
    student = _sample("tx-transfer-sced")
    scenarios = ScenarioSet.model_validate(
        {
            "scenarios": [
                {
                    "name": "no transfer biology",
                    "drop": [{"sced": "03051", "grade_level": 9}],
                    "regrade": [{"sced": "02052", "grade": "F"}],
                }
            ]
        }
    )
    (scenario,) = whatif(knowledge=kb, student=student, scenarios=scenarios).scenarios
    changed = {c.requirement: (c.before, c.after) for c in scenario.requirements}
    # Biology and Algebra I were met (by the transfer rows): dropped and failed, they are not.
    assert changed["tx-fhsp > science > all[0]"] == ("met", "unmet")
    assert changed["tx-fhsp > math > all[0]"] == ("met", "unmet")
    assert {"ALG1", "BIO"} <= set(scenario.courses_added)


@pytest.mark.parametrize(
    "match",
    [{"grade_level": 9}, {"course": "BIO", "sced": "03051"}],
)
def test_a_row_match_names_a_course_or_a_sced_code_not_both(match: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"'course' .* or by 'sced', one of them"):
        ScenarioSet.model_validate({"scenarios": [{"name": "x", "drop": [match]}]})
