"""Small factories for tests: build catalogs, rule sets and students in a line each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from engine.audit import audit_goal
from engine.model import Catalog, Course, RequirementSet
from engine.normalize import resolve_transcript
from engine.requirements import compile_set
from engine.results import GoalResult
from engine.student import Student

ROOT = Path(__file__).resolve().parent.parent
SOURCE = {"citation": "test fixture", "year": 2025}


def course(cid: str, credits: float = 1.0, subject: str = "elective", **kw: Any) -> Course:
    return Course.model_validate(
        {"id": cid, "title": kw.pop("title", cid), "subject": subject, "credits": credits, **kw}
    )


def catalog(*courses: Course, jurisdiction: str = "TX", year: int = 2025) -> Catalog:
    return Catalog(
        id=f"{jurisdiction.lower()}-{year}",
        title="test catalog",
        jurisdiction=jurisdiction,
        catalog_year=year,
        source=SOURCE,  # type: ignore[arg-type]
        courses=courses,
    )


def ruleset(requirements: dict[str, Any], **kw: Any) -> RequirementSet:
    data = {
        "id": kw.pop("id", "test-set"),
        "title": kw.pop("title", "Test set"),
        "kind": kw.pop("kind", "graduation"),
        "jurisdiction": kw.pop("jurisdiction", "TX"),
        "catalog_year": kw.pop("catalog_year", 2025),
        "source": SOURCE,
        "requirements": requirements,
        **kw,
    }
    return RequirementSet.model_validate(data)


def row(cid: str, grade: Any = "A", level: int = 9, **kw: Any) -> dict[str, Any]:
    status = kw.pop("status", "completed")
    if status != "completed" and grade == "A":
        grade = None
    return {"course": cid, "grade": grade, "grade_level": level, "status": status, **kw}


def student(*rows: dict[str, Any], **kw: Any) -> Student:
    data = {
        "id": kw.pop("id", "S-TEST"),
        "jurisdiction": kw.pop("jurisdiction", "TX"),
        "cohort": kw.pop("cohort", 2029),
        "grade_level": kw.pop("grade_level", 12),
        "transcript": list(rows),
        **kw,
    }
    return Student.model_validate(data)


def run(cat: Catalog, rset: RequirementSet, stu: Student) -> GoalResult:
    """Audit one set against one student without files."""
    resolved, _ = resolve_transcript(stu, cat)
    return audit_goal(compile_set(rset, cat), resolved, stu)


def req(goal: GoalResult, name: str) -> Any:
    return next(r for r in goal.requirements if r.name == name)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
