"""Request and response bodies of the v1 API, each with stated limits.

Engine models (student, audit result, course) are reused as they are: the API is the engine's
JSON contract, not a second copy of it. What only the API needs lives here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.errors import Diagnostic
from engine.model import MAX_CATALOG, SLUG, Course, CourseLevel, Dating, Name, Prereq, Term
from engine.planning import PlanConstraints, Scenario
from service.privacy import StudentIn

__all__ = [
    "AuditRequest",
    "CareerDetail",
    "CatalogSummary",
    "CourseDetail",
    "CoursePage",
    "CourseSummary",
    "GoalSummary",
    "Health",
    "JurisdictionSummary",
    "PlanRequest",
    "ReloadError",
    "RulesInForce",
    "ValidateRequest",
    "ValidateResponse",
    "ValidationProblem",
    "WhatIfRequest",
]

GoalId = Annotated[str, Field(pattern=SLUG, max_length=64)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuditRequest(_Body):
    """A student and the goals to audit (default: the student's own ``goals``)."""

    student: StudentIn
    goals: list[GoalId] | None = Field(default=None, max_length=20)


class PlanRequest(_Body):
    """A student, goals (default: the student's own) and plan constraints."""

    student: StudentIn
    goals: list[GoalId] | None = Field(default=None, max_length=20)
    constraints: PlanConstraints | None = None


class WhatIfRequest(_Body):
    """A student and up to 20 scenarios, each the student plus changes."""

    student: StudentIn
    goals: list[GoalId] | None = Field(default=None, max_length=20)
    constraints: PlanConstraints | None = None
    scenarios: list[Scenario] = Field(min_length=1, max_length=20)


class CareerDetail(_Body):
    """A career: its SOC code, entry education, programs of study, coursework and routes."""

    id: str = Field(max_length=64)
    goal: str = Field(max_length=80, description="the goal id to audit or plan against")
    title: str = Field(max_length=120)
    soc: str = Field(max_length=7)
    riasec: str | None = Field(default=None, max_length=3, description="Holland interest code")
    cluster: str = Field(max_length=64)
    cluster_title: str = Field(max_length=100)
    cluster_2024: str | None = Field(default=None, max_length=80)
    entry_education: str = Field(max_length=64)
    entry_education_title: str = Field(max_length=100)
    aliases: list[Annotated[str, Field(max_length=80)]] = Field(max_length=20)
    keywords: list[Annotated[str, Field(max_length=80)]] = Field(max_length=30)
    programs: list[Name] = Field(max_length=6)
    coursework: list[dict[str, Any]] = Field(max_length=12)
    routes: list[dict[str, Any]] = Field(max_length=6)
    source: dict[str, Any]


class CatalogSummary(_Body):
    id: str = Field(max_length=64)
    title: str = Field(max_length=200)
    catalog_year: int
    courses: int


class JurisdictionSummary(_Body):
    jurisdiction: str = Field(max_length=8)
    catalogs: list[CatalogSummary] = Field(max_length=100)
    goals: list[Name] = Field(max_length=1000, description="rule sets written for it")


class CourseSummary(_Body):
    id: str = Field(max_length=64)
    title: str = Field(max_length=200)
    sced: str | None = Field(default=None, max_length=5)
    subject: str = Field(max_length=64)
    credits: float
    grade_levels: list[int] = Field(max_length=8)
    terms: list[Term] = Field(max_length=4)
    level: CourseLevel


class CoursePage(_Body):
    catalog: str = Field(max_length=64, description="the catalog searched, e.g. tx-2025")
    catalog_year: int = Field(
        description="its year: the newest not later than the year asked for, else the oldest"
    )
    total: int = Field(description="courses matching, before paging")
    offset: int
    limit: int
    items: list[CourseSummary] = Field(max_length=200)


class CourseDetail(_Body):
    catalog: str = Field(max_length=64)
    course: Course
    # As many as a catalog may hold courses: a foundation course can unlock most of a large
    # catalog, and a list cut to a smaller limit would drop courses without a word.
    prerequisites: list[Name] = Field(
        max_length=MAX_CATALOG, description="every course it may depend on"
    )
    unlocks: list[Name] = Field(
        max_length=MAX_CATALOG, description="courses naming it as a prerequisite"
    )
    prerequisite_rule: Prereq | None = None


class GoalSummary(_Body):
    id: str = Field(max_length=80)
    title: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    jurisdiction: str = Field(max_length=8)
    catalog_year: int | None = Field(default=None, description="the newest version's year")
    dated_by: Dating = Field(
        default="catalog_year",
        description="what the year dates: the fall a class entered grade 9, or the fall it "
        "first enrols after graduating (NCAA: that version applies to the class of that year on)",
    )
    source: str = Field(max_length=600)
    cluster: str | None = Field(default=None, max_length=64)


class ValidateRequest(_Body):
    """A rule or catalog file's text; ``kind`` is guessed from its keys when left out."""

    text: str = Field(max_length=1_000_000)
    file: str = Field(default="draft.yaml", max_length=200, pattern=r"^[A-Za-z0-9._/-]+$")
    kind: Literal["ruleset", "catalog"] | None = None


class ValidationProblem(_Body):
    file: str = Field(max_length=200)
    line: int
    column: int
    code: str = Field(max_length=64)
    message: str = Field(max_length=2000)
    breadcrumb: str = Field(default="", max_length=500)
    severity: str = Field(default="error", max_length=16)

    @classmethod
    def of(cls, d: Diagnostic) -> ValidationProblem:
        """An authoring diagnostic, cut to the limits above."""
        return cls(
            file=d.file[:200],
            line=d.line,
            column=d.column,
            code=d.code[:64],
            message=d.message[:2000],
            breadcrumb=d.breadcrumb[:500],
            severity=d.severity[:16],
        )


class ValidateResponse(_Body):
    valid: bool = Field(description="no errors (warnings do not make a file invalid)")
    kind: Literal["ruleset", "catalog"]
    errors: list[ValidationProblem] = Field(max_length=1000)
    warnings: list[ValidationProblem] = Field(
        default=[],
        max_length=1000,
        description="what may be a mistake but can be meant: e.g. a selector value no course "
        "of the jurisdiction's catalogs carries, so it matches nothing",
    )


class RulesInForce(_Body):
    """The catalog, rule and career files a worker serves (``service/reload.py``)."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="over every file's path and bytes")
    files: int
    loaded_at: datetime


class ReloadError(_Body):
    """The last reload was refused: these errors; the rules in force did not change."""

    at: datetime
    total: int = Field(description="errors found (the first 50 are listed)")
    errors: list[ValidationProblem] = Field(max_length=50)


class Health(_Body):
    status: Literal["ok"]
    # Liveness (``/healthz``) does not look at the knowledge: it leaves these null rather than
    # claiming nothing is loaded.
    catalogs: int | None = Field(default=None, description="readiness only: catalogs loaded")
    rulesets: int | None = Field(default=None, description="readiness only: rule sets loaded")
    rules: RulesInForce | None = Field(default=None, description="readiness only")
    reload_error: ReloadError | None = Field(
        default=None, description="readiness only: set when the last reload (SIGHUP) failed"
    )
