"""Sets that read a transcript's grades alike share one grading of it, and nothing changes.

An audit grades the rows once per *reading* (``engine.normalize.reading_of``): the points and
passing letters of the set's scale through the school's, and the repeat policy when a course
was repeated. Texas and NCAA read a Texas transcript alike unless a course was repeated.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings

from engine.audit import audit_document
from engine.knowledge import Knowledge, load_knowledge
from engine.loader import load_student_file
from engine.normalize import grade_rows
from engine.student import Student
from tests.strategies import students

# ``engine.audit`` the module (the package exports a function of the same name).
audit_module = sys.modules["engine.audit"]
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "students" / "tx-junior-on-track.json"
GOALS = ["tx-fhsp", "ncaa-d1"]


KB = load_knowledge(ROOT)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return KB


def _gradings(kb: Knowledge, student: Student) -> int:
    """How many times the audit grades the rows."""
    with mock.patch.object(audit_module, "grade_rows", wraps=grade_rows) as spy:
        audit_document(knowledge=kb, student=student, goals=GOALS)
    return spy.call_count


def _unshared(kb: Knowledge, student: Student) -> dict[str, Any]:
    """The audit with every set graded on its own (each reading made unique)."""
    with mock.patch.object(audit_module, "reading_of", side_effect=lambda *_: (object(),)):
        return audit_document(knowledge=kb, student=student, goals=GOALS)


def _with_rows(student: Student, *rows: dict[str, Any]) -> Student:
    data = student.model_dump(mode="json", exclude_none=True)
    data["transcript"] = [*data["transcript"], *rows]
    return Student.model_validate(data)


def _uses(document: dict[str, Any], course: str) -> dict[str, list[str]]:
    return {
        goal["goal"]: [row["use"] for row in goal["rows"] if row["course"] == course]
        for goal in document["goals"]
    }


def test_texas_and_ncaa_grade_a_transcript_without_repeats_once(kb: Knowledge) -> None:
    student = load_student_file(SAMPLE)
    assert _gradings(kb, student) == 1
    assert audit_document(knowledge=kb, student=student, goals=GOALS) == _unshared(kb, student)


def test_a_repeat_makes_each_repeat_policy_grade_on_its_own(kb: Knowledge) -> None:
    # Passed with a D in grade 11, retaken in grade 12 for an A. Texas counts the best attempt;
    # NCAA locks grades before grade 12, so its D stands and the retake does not replace it.
    student = _with_rows(
        load_student_file(SAMPLE),
        {"course": "PSYCH", "grade_level": 11, "term": "spring", "grade": "D"},
        {"course": "PSYCH", "grade_level": 12, "term": "spring", "grade": "A", "repeat": True},
    )
    assert _gradings(kb, student) == 2
    document = audit_document(knowledge=kb, student=student, goals=GOALS)
    assert _uses(document, "PSYCH") == {
        "tx-fhsp": ["superseded", "credit"],
        "ncaa-d1": ["credit", "superseded"],
    }
    assert document == _unshared(kb, student)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(student=students(KB.catalog_for("TX", 2025)))
def test_sharing_a_grading_never_changes_an_audit(student: Student) -> None:
    assert audit_document(knowledge=KB, student=student, goals=GOALS) == _unshared(KB, student)
