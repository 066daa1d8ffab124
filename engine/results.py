"""Audit results: what the engine concluded, in a form that is stable for machines.

Every result is frozen. ``AuditResult.model_dump(mode="json")`` is the JSON contract documented
in ``docs/audit-json.md``; its ``schema_version`` changes when a field changes meaning.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.student import RowStatus

__all__ = [
    "AUDIT_SCHEMA_VERSION",
    "Alert",
    "AppliedRow",
    "AuditResult",
    "GoalResult",
    "NormalizedRow",
    "PolicyNote",
    "Progress",
    "Recommendation",
    "RequirementResult",
    "RowUse",
    "Status",
    "UnrecognizedRow",
]

AUDIT_SCHEMA_VERSION = 1
Status = Literal["met", "in_progress", "unmet"]
RowUse = Literal["credit", "failed", "superseded", "no_credit"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NormalizedRow(_Result):
    """A transcript row after resolving its course and reading its grade under a rule set."""

    index: int = Field(description="position of the row in the student's transcript")
    course: str
    title: str
    subject: str
    credits: float
    grade_level: int
    term: str
    status: RowStatus
    grade: str | None = Field(description="letter grade, 'P', or null when not yet graded")
    points: float | None = Field(description="unweighted quality points, null for P or ungraded")
    use: RowUse
    note: str = ""


class AppliedRow(_Result):
    """A row counted toward a requirement, and how many of its credits counted there.

    Details of the row (title, grade, status) are in ``GoalResult.rows[index]``.
    """

    index: int
    course: str
    credits: float


class Progress(_Result):
    """Amounts toward a requirement, in its ``unit``."""

    unit: Literal["credits", "courses", "levels", "gpa", "hours", "items"]
    needed: float
    earned: float = Field(description="from completed rows only")
    in_progress: float = 0.0
    planned: float = 0.0


def _empty(value: object) -> bool:
    return not value


class PolicyNote(_Result):
    """A state policy that changed a requirement or added a goal, and why."""

    policy: str = Field(description="the policy id in the rule file")
    action: Literal["substitute", "waive", "skip", "apply_set"]
    reason: str


class Alert(_Result):
    """A message a state policy raised for the counselor."""

    policy: str
    severity: Literal["critical", "warning", "info"]
    message: str


class Recommendation(_Result):
    """A course or experience a state policy recommends."""

    policy: str
    course: str | None = None
    title: str | None = None
    experience: str | None = None
    message: str


class RequirementResult(_Result):
    """The verdict on one requirement node, with its reason and what could close it."""

    path: str = Field(description="where the node sits, e.g. 'tx-fhsp > math > all[2]'")
    name: str | None = Field(default=None, description="the name of a top-level requirement")
    title: str
    operator: str
    status: Status
    progress: Progress | None = None
    applied: tuple[AppliedRow, ...] = ()
    value: float | None = Field(default=None, description="computed value, e.g. the GPA")
    reason: str
    candidates: tuple[str, ...] = Field(
        default=(), description="catalog course ids that could close an unmet requirement"
    )
    children: tuple[RequirementResult, ...] = ()
    # Policy fields are optional and left out of the JSON when empty, so schema 1 is unchanged.
    # (``exclude_if`` keeps serialisation in pydantic-core; a wrap serialiser made it Python.)
    policies: tuple[PolicyNote, ...] = Field(
        default=(),
        exclude_if=_empty,
        description="policies that substituted, waived or skipped this requirement",
    )


class GoalResult(_Result):
    """One goal (requirement set) audited against the transcript."""

    goal: str
    title: str
    kind: str
    version: int = Field(description="the catalog year of the rule set used")
    source: str
    status: Status
    summary: str
    credits: Progress | None = None
    requirements: tuple[RequirementResult, ...]
    unused: tuple[int, ...] = Field(
        default=(), description="indexes of credited rows that counted toward no requirement"
    )
    rows: tuple[NormalizedRow, ...] = Field(description="the transcript as this goal reads it")
    alerts: tuple[Alert, ...] = Field(
        default=(), exclude_if=_empty, description="policy alerts, most severe first"
    )
    recommendations: tuple[Recommendation, ...] = Field(default=(), exclude_if=_empty)
    added_by: PolicyNote | None = Field(
        default=None, exclude_if=_empty, description="the policy that added this goal to the audit"
    )


class UnrecognizedRow(_Result):
    """A transcript row that names no known course: reported, never silently dropped."""

    index: int
    course: str | None
    sced: str | None
    reason: str


class AuditResult(_Result):
    """The audit of one student against each of their goals."""

    schema_version: int = AUDIT_SCHEMA_VERSION
    student: str
    jurisdiction: str
    catalog: str
    catalog_year: int
    goals: tuple[GoalResult, ...]
    unrecognized: tuple[UnrecognizedRow, ...] = ()
