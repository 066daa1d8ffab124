"""Audit results: what the engine concluded, in a form that is stable for machines.

Every result is frozen. ``AuditResult.model_dump(mode="json")`` is the JSON contract documented
in ``docs/audit-json.md``; its ``schema_version`` changes when a field changes meaning.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.model import MAX_CATALOG, MAX_TITLE, Name
from engine.student import MAX_GOALS, MAX_TRANSCRIPT, RowStatus

__all__ = [
    "AUDIT_SCHEMA_VERSION",
    "MAX_EXPLANATION",
    "MAX_GOAL_RESULTS",
    "MAX_NOTICES",
    "MAX_OUTCOMES",
    "MAX_PATH",
    "MAX_ROWS",
    "UPPER_BOUND",
    "Alert",
    "AppliedRow",
    "AuditResult",
    "Explanation",
    "GoalResult",
    "NormalizedRow",
    "PolicyNote",
    "Progress",
    "Recommendation",
    "RequirementResult",
    "RowUse",
    "Status",
    "UnrecognizedRow",
    "clip",
]

AUDIT_SCHEMA_VERSION = 1
Status = Literal["met", "in_progress", "unmet"]
RowUse = Literal["credit", "failed", "superseded", "no_credit"]

# Limits of results (JSON Schema maxLength / maxItems), derived from the limits of the inputs.
#: Rows an audit reads: the transcript (at most 500) and the rows a plan adds to it.
MAX_ROWS = 1000
#: Goals in one audit: the student's own (at most 50) and the sets state policies apply.
MAX_GOAL_RESULTS = 4 * MAX_GOALS
#: Notices of one audit: the catalog's, then one per rule set judged (the last counts the rest).
MAX_NOTICES = 50
#: Policy outcomes one goal can produce: 200 policies of at most 20 outcomes each.
MAX_OUTCOMES = 4000
#: A requirement's path, ``set > name > all[2] > any[0]``: an upper bound (nesting is authored).
MAX_PATH = 4000
#: Generated text (reasons, summaries, messages, notes, generated titles) is built from authored
#: titles, selectors and policy templates, so its length is an upper bound, not a guarantee;
#: bundled rules produce under 600 characters.
MAX_EXPLANATION = 8000
UPPER_BOUND = f"(at most {MAX_EXPLANATION} characters, an upper bound)"
Explanation = Annotated[str, Field(max_length=MAX_EXPLANATION)]


def clip(text: str, limit: int = MAX_EXPLANATION) -> str:
    """``text`` cut to ``limit`` characters (marked with an ellipsis) where it is generated, so a
    rule with a huge selector or template shortens its explanation rather than breaking the
    audit; bundled rules never come near it."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NormalizedRow(_Result):
    """A transcript row after resolving its course and reading its grade under a rule set."""

    index: int = Field(description="position of the row in the student's transcript")
    course: Name
    title: str = Field(max_length=MAX_TITLE)
    subject: Name
    credits: float
    grade_level: int
    term: str = Field(max_length=8)
    status: RowStatus
    grade: str | None = Field(
        max_length=8, description="letter grade, 'P', or null when not yet graded"
    )
    points: float | None = Field(description="unweighted quality points, null for P or ungraded")
    use: RowUse
    note: str = Field(default="", max_length=MAX_EXPLANATION, description=f"why {UPPER_BOUND}")


class AppliedRow(_Result):
    """A row counted toward a requirement, and how many of its credits counted there.

    Details of the row (title, grade, status) are in ``GoalResult.rows[index]``.
    """

    index: int
    course: Name
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

    policy: Name = Field(description="the policy id in the rule file")
    action: Literal["substitute", "waive", "skip", "apply_set"]
    reason: Explanation = Field(description=f"the policy's reason {UPPER_BOUND}")


class Alert(_Result):
    """A message a state policy raised for the counselor."""

    policy: Name
    severity: Literal["critical", "warning", "info"]
    message: Explanation = Field(description=f"the policy's message, filled in {UPPER_BOUND}")


class Recommendation(_Result):
    """A course or experience a state policy recommends."""

    policy: Name
    course: Name | None = None
    title: str | None = Field(default=None, max_length=MAX_TITLE)
    experience: Name | None = None
    message: Explanation = Field(description=f"the policy's message, filled in {UPPER_BOUND}")


class RequirementResult(_Result):
    """The verdict on one requirement node, with its reason and what could close it."""

    path: str = Field(
        max_length=MAX_PATH,
        description="where the node sits, e.g. 'tx-fhsp > math > all[2]' "
        f"(at most {MAX_PATH} characters, an upper bound)",
    )
    name: Name | None = Field(default=None, description="the name of a top-level requirement")
    title: Explanation = Field(
        description=f"the authored title, or one made from the rule {UPPER_BOUND}"
    )
    operator: str = Field(max_length=16)
    status: Status
    progress: Progress | None = None
    applied: tuple[AppliedRow, ...] = Field(default=(), max_length=MAX_ROWS)
    value: float | None = Field(default=None, description="computed value, e.g. the GPA")
    reason: Explanation = Field(description=f"the verdict in words {UPPER_BOUND}")
    candidates: tuple[Name, ...] = Field(
        default=(),
        max_length=8,
        description="catalog course ids that could close an unmet requirement",
    )
    children: tuple[RequirementResult, ...] = Field(
        default=(),
        max_length=MAX_CATALOG,
        description="at most 100 authored children, or one per course track of a sequence",
    )
    # Policy fields are optional and left out of the JSON when empty, so schema 1 is unchanged.
    # (``exclude_if`` keeps serialisation in pydantic-core; a wrap serialiser made it Python.)
    policies: tuple[PolicyNote, ...] = Field(
        default=(),
        max_length=MAX_OUTCOMES,
        exclude_if=_empty,
        description="policies that substituted, waived or skipped this requirement",
    )


class GoalResult(_Result):
    """One goal (requirement set) audited against the transcript."""

    goal: Name
    title: str = Field(max_length=MAX_TITLE)
    kind: str = Field(max_length=32)
    version: int = Field(description="the catalog year of the rule set used")
    source: str = Field(max_length=600, description="the rule set's citation and year")
    status: Status
    summary: Explanation = Field(description=f"the verdict in one line {UPPER_BOUND}")
    credits: Progress | None = None
    requirements: tuple[RequirementResult, ...] = Field(
        max_length=1000, description="at most 200 per rule set, more when sets extend others"
    )
    unused: tuple[int, ...] = Field(
        default=(),
        max_length=MAX_ROWS,
        description="indexes of credited rows that counted toward no requirement",
    )
    rows: tuple[NormalizedRow, ...] = Field(
        max_length=MAX_ROWS, description="the transcript as this goal reads it"
    )
    alerts: tuple[Alert, ...] = Field(
        default=(),
        max_length=MAX_OUTCOMES,
        exclude_if=_empty,
        description="policy alerts, most severe first",
    )
    recommendations: tuple[Recommendation, ...] = Field(
        default=(), max_length=MAX_OUTCOMES, exclude_if=_empty
    )
    added_by: PolicyNote | None = Field(
        default=None, exclude_if=_empty, description="the policy that added this goal to the audit"
    )


class UnrecognizedRow(_Result):
    """A transcript row that names no known course: reported, never silently dropped."""

    index: int
    course: Name | None
    sced: str | None = Field(max_length=12)
    reason: str = Field(max_length=500)


class AuditResult(_Result):
    """The audit of one student against each of their goals."""

    schema_version: int = AUDIT_SCHEMA_VERSION
    student: Name
    jurisdiction: str = Field(max_length=8)
    catalog: Name
    catalog_year: int
    goals: tuple[GoalResult, ...] = Field(
        max_length=MAX_GOAL_RESULTS,
        description="the student's goals (at most 50), then the sets policies applied",
    )
    unrecognized: tuple[UnrecognizedRow, ...] = Field(default=(), max_length=MAX_TRANSCRIPT)
    notices: tuple[Explanation, ...] = Field(
        default=(),
        max_length=MAX_NOTICES,
        exclude_if=_empty,
        description="what was used in place of what the student's catalog year asks for: the "
        "oldest catalog or rule-set version, when none is as old as that year",
    )
