"""The recommender's answers, frozen and JSON-ready: ranked careers, pathways, leverage courses.

Every number a counselor sees is broken into parts that name their data: a career's score is
the weighted sum of its :class:`Part` s, each with the evidence it was computed from.
``RecommendResult.model_dump(mode="json")`` is the contract of ``gradpath recommend -f json``
and ``POST /v1/recommend``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.recommend.inputs import Interests, Preferences
from engine.results import Status

__all__ = [
    "RECOMMEND_SCHEMA_VERSION",
    "CareerFit",
    "Evidence",
    "GoalGap",
    "LeverageCourse",
    "Part",
    "PartName",
    "PathwayResult",
    "RecommendResult",
    "RequirementGap",
    "RouteView",
    "Stage",
]

RECOMMEND_SCHEMA_VERSION = 1
PartName = Literal["interests", "readiness", "strengths", "preferences"]
Stage = Literal["middle_school", "high_school"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Result):
    """One fact a part was computed from, and where the fact comes from."""

    label: str = Field(description="what was compared, e.g. 'RIASEC' or 'science'")
    value: float = Field(description="this fact's score, 0-1")
    detail: str
    source: str | None = Field(default=None, description="the data the fact was read from")


class Part(_Result):
    """One component of a career's score."""

    name: PartName
    score: float | None = Field(description="0-1; null when there is no evidence for this part")
    weight: float = Field(description="the part's weight for the student's stage")
    effective_weight: float = Field(
        description="the weight after parts without evidence gave theirs away (sums to 1)"
    )
    points: float = Field(description="this part's share of the 0-100 score")
    explanation: str
    evidence: tuple[Evidence, ...] = ()


class RequirementGap(_Result):
    """Where the student stands on one top-level requirement of a goal."""

    goal: str
    requirement: str
    title: str
    status: Status
    unit: str
    needed: float
    covered: float = Field(description="completed, in progress and planned amounts together")
    earned: float = Field(description="from completed rows only")
    credits_to_add: float = Field(
        description="estimated credits still to take (a course counts as 1 credit)"
    )
    reason: str


class CareerFit(_Result):
    """A career ranked for a student, with every part of its score explained."""

    rank: int
    career: str
    goal: str
    title: str
    cluster: str
    cluster_title: str
    soc: str
    riasec: str | None
    interests_source: str | None = Field(description="where the career's RIASEC code comes from")
    entry_education: str
    entry_education_title: str
    years_after_high_school: int
    route_kinds: tuple[str, ...]
    score: float = Field(description="0-100, the sum of the parts' points")
    parts: tuple[Part, ...]
    status: Status = Field(description="the audit's verdict on the career goal")
    requirements_met: int = Field(description="top-level requirements met or in progress")
    requirements: int
    credits_to_add: float = Field(
        description="estimate: unmet coursework credits plus missing concentrator courses "
        "(1 credit each), before any course is planned; the route's own gap is apart"
    )
    gaps: tuple[RequirementGap, ...] = Field(description="the career's requirements not yet met")


class LeverageCourse(_Result):
    """A course the student could take next that keeps many of their top careers open."""

    course: str
    title: str
    subject: str
    credits: float
    opens: tuple[str, ...] = Field(description="career ids of the top list this course serves")
    count: int
    of: int = Field(description="how many top careers were considered")
    reasons: tuple[str, ...] = Field(description="per career: the requirement the course serves")


class RecommendResult(_Result):
    """Careers ranked for one student, and the courses that keep the top ones open."""

    schema_version: int = RECOMMEND_SCHEMA_VERSION
    student: str
    jurisdiction: str
    catalog: str
    grade_level: int
    stage: Stage
    weights: dict[str, float]
    interests: Interests
    preferences: Preferences
    considered: int = Field(description="how many bundled careers were ranked")
    careers: tuple[CareerFit, ...]
    courses: tuple[LeverageCourse, ...] = Field(
        default=(), description="high-leverage next courses for the top careers"
    )
    notes: tuple[str, ...] = ()


class GoalGap(_Result):
    """A high-school goal a route needs, and the student's gap to it."""

    goal: str
    title: str
    status: Status
    summary: str
    gaps: tuple[RequirementGap, ...]
    credits_to_add: float


class RouteView(_Result):
    """One route to a career (certificate, associate, bachelor's, apprenticeship ...)."""

    kind: str
    title: str
    goals: tuple[GoalGap, ...] = Field(description="any one of these leads on (the best first)")
    status: Status = Field(description="the best status among the route's goals")


class PathwayResult(_Result):
    """The routes to one career from where the student stands."""

    schema_version: int = RECOMMEND_SCHEMA_VERSION
    student: str
    jurisdiction: str
    career: str
    title: str
    soc: str
    entry_education_title: str
    coursework: tuple[RequirementGap, ...] = Field(
        description="the career's own recommended coursework and concentrator, for every route"
    )
    routes: tuple[RouteView, ...]
