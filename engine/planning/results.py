"""Plan and what-if results: frozen, JSON-ready, and explained in the student's words."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.model import MAX_CATALOG, MAX_TITLE, Name
from engine.results import (
    MAX_GOAL_RESULTS,
    MAX_PATH,
    MAX_ROWS,
    UPPER_BOUND,
    AuditResult,
    Explanation,
    Status,
)

__all__ = [
    "MAX_DRAFT_WARNINGS",
    "PLAN_SCHEMA_VERSION",
    "Alternatives",
    "Conflict",
    "DraftWarning",
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
#: Courses, milestones or conflicts in one plan: an upper bound (a plan adds at most a full load
#: in every remaining term; the audit of transcript + plan reads at most ``MAX_ROWS`` rows).
MAX_PLANNED = MAX_ROWS
RequirementPath = Annotated[str, Field(max_length=MAX_PATH)]
#: Warnings about a scenario's draft rule sets kept in its result (the last counts the rest).
MAX_DRAFT_WARNINGS = 100


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Service(_Result):
    """A requirement of a goal that a planned course counts toward (read from the audit)."""

    goal: Name
    requirement: RequirementPath = Field(
        description="path of the requirement, e.g. 'tx-fhsp > math > all[1]'"
    )
    title: Explanation = Field(description=f"the requirement's title {UPPER_BOUND}")


class Alternatives(_Result):
    """Interchangeable courses: the plan takes ``pick`` of them; any ``pick`` would do."""

    pick: int
    courses: tuple[Name, ...] = Field(max_length=MAX_CATALOG)
    text: Explanation


class PlannedCourse(_Result):
    """One course the plan adds, when, and why."""

    course: Name
    title: str = Field(max_length=MAX_TITLE)
    credits: float
    grade_level: int
    term: str = Field(max_length=8)
    serves: tuple[Service, ...] = Field(max_length=MAX_PLANNED)
    alternatives: Alternatives | None = None
    locked: bool = False
    reason: Explanation = Field(description=f"why this course, then {UPPER_BOUND}")


class TermPlan(_Result):
    """One term of the plan: what is added, and what was already on the transcript."""

    grade_level: int
    term: str = Field(max_length=8)
    planned: tuple[Name, ...] = Field(max_length=MAX_PLANNED)
    existing: tuple[Name, ...] = Field(
        max_length=MAX_ROWS, description="in-progress or already scheduled courses"
    )
    credits: float


class Milestone(_Result):
    """Something a goal needs that is not a course: a credential, an assessment or hours."""

    goal: Name
    requirement: RequirementPath
    kind: str = Field(max_length=32)
    id: Name | None = None
    amount: float | None = None
    text: Explanation


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
    course: Name | None = None
    goal: Name | None = None
    requirement: RequirementPath | None = None
    text: Explanation


class SolverStats(_Result):
    """How the search went (not part of the golden files: timings vary)."""

    seconds: float
    candidates: int
    proven_optimal: bool


class PlanResult(_Result):
    """A plan from the next term to graduation, or why none exists."""

    schema_version: int = PLAN_SCHEMA_VERSION
    student: Name
    goals: tuple[Name, ...] = Field(max_length=MAX_GOAL_RESULTS)
    status: PlanStatus
    message: Explanation
    calendar: str = Field(max_length=500, description="the terms planned, in words")
    courses: tuple[PlannedCourse, ...] = Field(default=(), max_length=MAX_PLANNED)
    terms: tuple[TermPlan, ...] = Field(default=(), max_length=100)
    milestones: tuple[Milestone, ...] = Field(default=(), max_length=MAX_PLANNED)
    added_credits: float = 0.0
    added_courses: int = 0
    completes: str | None = Field(
        default=None, max_length=32, description="the last term with a planned course"
    )
    terms_to_graduation: int = 0
    credits_lower_bound: float = Field(
        default=0.0, description="proven: no plan adds fewer credits"
    )
    conflicts: tuple[Conflict, ...] = Field(default=(), max_length=MAX_PLANNED)
    audit: AuditResult | None = Field(default=None, description="audit of transcript + plan")
    solver: SolverStats | None = None


class RequirementChange(_Result):
    """A requirement whose status differs from the base scenario."""

    goal: Name
    requirement: RequirementPath
    title: Explanation
    before: Status | None
    after: Status | None


class GoalChange(_Result):
    goal: Name
    before: Status | None
    after: Status | None


class DraftWarning(_Result):
    """What ``gradpath validate`` would warn of in a scenario's draft rule set: a selector
    value no course of the jurisdiction carries, so the requirement matches nothing (a typo
    such as ``englsh``, or a kind of course no catalog lists yet). The scenario still ran."""

    loc: tuple[Annotated[str, Field(max_length=MAX_PATH)] | int, ...] = Field(
        max_length=64, description="where in the request, e.g. scenarios.0.rules.0.requirements"
    )
    msg: Explanation
    type: str = Field(max_length=64, description="matches-no-course")


class ScenarioResult(_Result):
    """One what-if scenario: its audit and plan, and how they differ from the base."""

    name: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    warnings: tuple[DraftWarning, ...] = Field(
        default=(),
        max_length=MAX_DRAFT_WARNINGS,
        description="draft rule sets' selector values that match no course (the scenario ran)",
    )
    audit: AuditResult
    plan: PlanResult
    goals: tuple[GoalChange, ...] = Field(max_length=2 * MAX_GOAL_RESULTS)
    requirements: tuple[RequirementChange, ...] = Field(
        max_length=10_000, description="an upper bound: one per requirement node that changed"
    )
    courses_added: tuple[Name, ...] = Field(
        max_length=MAX_PLANNED,
        description="in this plan, not in the base plan (empty when either has no plan)",
    )
    courses_removed: tuple[Name, ...] = Field(
        max_length=MAX_PLANNED,
        description="in the base plan, not in this one (empty when either has no plan)",
    )
    credits_delta: float = Field(
        description="added credits, this plan minus the base plan (0 when either has no plan: "
        "compare `plan.status`)"
    )
    terms_delta: int = Field(
        description="terms to graduation, this plan minus the base plan (0 when either has no "
        "plan: compare `plan.status`)"
    )
    summary: Explanation


class WhatIfResult(_Result):
    """The base scenario (the student as recorded) and every scenario compared with it."""

    schema_version: int = PLAN_SCHEMA_VERSION
    student: Name
    base: ScenarioResult
    scenarios: tuple[ScenarioResult, ...] = Field(max_length=50)
