"""Fixtures for state-policy tests: the bundled knowledge, and students in a line each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine import Knowledge, audit, load_knowledge
from engine.results import AuditResult, GoalResult
from engine.student import Student

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge(ROOT)


def row(course: str, grade: Any = "A", level: int = 9, **kw: Any) -> dict[str, Any]:
    status = kw.pop("status", "completed")
    if status != "completed":
        grade = None
    return {"course": course, "grade": grade, "grade_level": level, "status": status, **kw}


def make_student(*rows: dict[str, Any], **kw: Any) -> Student:
    data = {
        "id": kw.pop("id", "S-POLICY"),
        "jurisdiction": kw.pop("jurisdiction", "TX"),
        "cohort": kw.pop("cohort", 2027),
        "grade_level": kw.pop("grade_level", 11),
        "transcript": list(rows),
        **kw,
    }
    return Student.model_validate(data)


def run_audit(kb: Knowledge, student: Student, goal: str) -> AuditResult:
    return audit(knowledge=kb, student=student, goals=[goal])


def goal_of(result: AuditResult, goal: str) -> GoalResult:
    return next(g for g in result.goals if g.goal == goal)


def alert_ids(goal: GoalResult) -> list[str]:
    return [a.policy for a in goal.alerts]


def recommendation_ids(goal: GoalResult) -> list[str]:
    return [r.policy for r in goal.recommendations]


def requirement(goal: GoalResult, name: str) -> Any:
    return next(r for r in goal.requirements if r.name == name)
