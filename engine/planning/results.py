"""Plan and what-if results: frozen, JSON-ready, and explained in the student's words."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.results import AuditResult, Status

__all__ = [
    "PLAN_SCHEMA_VERSION",
    "Alternatives",
    "Conflict",
    "GoalChange",
    "Milestone",
    "PlanResult",
    "PlanStatus",
    "PlannedCourse",
    "RequirementChange",
    "ScenarioResult",
    "Service",
    "SolverStats",
    "TermPlan",
    "WhatIfResult",
]

PLAN_SCHEMA_VERSION = 1
PlanStatus = Literal["optimal", "feasible", "infeasible", "unknown"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Service(_Result):
    """A requirement of a goal that a planned course counts toward (read from the audit)."""

    goal: str
    requirement: str = Field(description="path of the requirement, e.g. 'tx-fhsp > math > all[1]'")
    title: str


class Alternatives(_Result):
    """Interchangeable courses: the plan takes ``pick`` of them; any ``pick`` would do."""

    pick: int
    courses: tuple[str, ...]
    text: str


class PlannedCourse(_Result):
    """One course the plan adds, when, and why."""

    course: str
    title: str
    credits: float
    grade_level: int
    term: str
    serves: tuple[Service, ...]
    alternatives: Alternatives | None = None
    locked: bool = False
    reason: str


class TermPlan(_Result):
    """One term of the plan: what is added, and what was already on the transcript."""

    grade_level: int
    term: str
    planned: tuple[str, ...]
    existing: tuple[str, ...] = Field(description="in-progress or already scheduled courses")
    credits: float


class Milestone(_Result):
    """Something a goal needs that is not a course: a credential, an assessment or hours."""

    goal: str
    requirement: str
    kind: str
    id: str | None = None
    amount: float | None = None
    text: str


class Conflict(_Result):
    """One of the constraints that together leave no plan."""

    kind: Literal[
        "requirement",
        "prerequisite",
        "corequisite",
        "offered",
        "grade_levels",
        "load",
        "summer",
        "locked",
        "excluded",
    ]
    course: str | None = None
    goal: str | None = None
    requirement: str | None = None
    text: str


class SolverStats(_Result):
    """How the search went (not part of the golden files: timings vary)."""

    seconds: float
    candidates: int
    proven_optimal: bool


class PlanResult(_Result):
    """A plan from the next term to graduation, or why none exists."""

    schema_version: int = PLAN_SCHEMA_VERSION
    student: str
    goals: tuple[str, ...]
    status: PlanStatus
    message: str
    calendar: str
    courses: tuple[PlannedCourse, ...] = ()
    terms: tuple[TermPlan, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    added_credits: float = 0.0
    added_courses: int = 0
    completes: str | None = Field(default=None, description="the last term with a planned course")
    terms_to_graduation: int = 0
    credits_lower_bound: float = Field(
        default=0.0, description="proven: no plan adds fewer credits"
    )
    conflicts: tuple[Conflict, ...] = ()
    audit: AuditResult | None = Field(default=None, description="audit of transcript + plan")
    solver: SolverStats | None = None


class RequirementChange(_Result):
    """A requirement whose status differs from the base scenario."""

    goal: str
    requirement: str
    title: str
    before: Status | None
    after: Status | None


class GoalChange(_Result):
    goal: str
    before: Status | None
    after: Status | None


class ScenarioResult(_Result):
    """One what-if scenario: its audit and plan, and how they differ from the base."""

    name: str
    description: str | None = None
    audit: AuditResult
    plan: PlanResult
    goals: tuple[GoalChange, ...]
    requirements: tuple[RequirementChange, ...]
    courses_added: tuple[str, ...] = Field(description="in this plan, not in the base plan")
    courses_removed: tuple[str, ...] = Field(description="in the base plan, not in this one")
    credits_delta: float = Field(description="added credits, this plan minus the base plan")
    terms_delta: int = Field(description="terms to graduation, this plan minus the base plan")
    summary: str


class WhatIfResult(_Result):
    """The base scenario (the student as recorded) and every scenario compared with it."""

    schema_version: int = PLAN_SCHEMA_VERSION
    student: str
    base: ScenarioResult
    scenarios: tuple[ScenarioResult, ...]
