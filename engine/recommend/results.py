"""The recommender's answers, frozen and JSON-ready: ranked careers, pathways, leverage courses.

Every number a counselor sees is broken into parts that name their data: a career's score is
the weighted sum of its :class:`Part` s, each with the evidence it was computed from.
``RecommendResult.model_dump(mode="json")`` is the contract of ``gradpath recommend -f json``
and ``POST /v1/recommend``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.model import MAX_NAME_LIST, MAX_TITLE, Name
from engine.recommend.inputs import Interests, Preferences
from engine.results import UPPER_BOUND, Explanation, Status

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
#: Careers one answer may rank: every bundled career when no limit is given (the service
#: returns at most 200). An upper bound: career files hold at most 100 careers each.
MAX_CAREERS = 2000
#: A citation with its year, or a data file's name with what was read from it.
Citation = Annotated[str, Field(max_length=1000)]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Result):
    """One fact a part was computed from, and where the fact comes from."""

    label: str = Field(
        max_length=MAX_TITLE, description="what was compared, e.g. 'RIASEC' or 'science'"
    )
    value: float = Field(description="this fact's score, 0-1")
    detail: Explanation
    source: Citation | None = Field(default=None, description="the data the fact was read from")


class Part(_Result):
    """One component of a career's score."""

    name: PartName
    score: float | None = Field(description="0-1; null when there is no evidence for this part")
    weight: float = Field(description="the part's weight for the student's stage")
    effective_weight: float = Field(
        description="the weight after parts without evidence gave theirs away (sums to 1)"
    )
    points: float = Field(description="this part's share of the 0-100 score")
    explanation: Explanation
    evidence: tuple[Evidence, ...] = Field(
        default=(), max_length=MAX_NAME_LIST, description="at most one per requirement or subject"
    )


class RequirementGap(_Result):
    """Where the student stands on one top-level requirement of a goal."""

    goal: Name
    requirement: Name
    title: Explanation = Field(description=f"the requirement's title {UPPER_BOUND}")
    status: Status
    unit: str = Field(max_length=16)
    needed: float
    covered: float = Field(description="completed, in progress and planned amounts together")
    earned: float = Field(description="from completed rows only")
    credits_to_add: float = Field(
        description="estimated credits still to take (a course counts as 1 credit)"
    )
    reason: Explanation


class CareerFit(_Result):
    """A career ranked for a student, with every part of its score explained."""

    rank: int
    career: Name
    goal: str = Field(max_length=80)
    title: str = Field(max_length=120)
    cluster: Name
    cluster_title: str = Field(max_length=100)
    soc: str = Field(max_length=7)
    riasec: str | None = Field(max_length=3)
    interests_source: Citation | None = Field(
        description="where the career's RIASEC code comes from"
    )
    entry_education: Name
    entry_education_title: str = Field(max_length=100)
    years_after_high_school: int
    route_kinds: tuple[Annotated[str, Field(max_length=32)], ...] = Field(max_length=6)
    score: float = Field(description="0-100, the sum of the parts' points")
    parts: tuple[Part, ...] = Field(max_length=4)
    status: Status = Field(description="the audit's verdict on the career goal")
    requirements_met: int = Field(description="top-level requirements met or in progress")
    requirements: int
    credits_to_add: float = Field(
        description="estimate: unmet coursework credits plus missing concentrator courses "
        "(1 credit each), before any course is planned; the route's own gap is apart"
    )
    gaps: tuple[RequirementGap, ...] = Field(
        max_length=1000, description="the career's requirements not yet met"
    )


class LeverageCourse(_Result):
    """A course the student could take next that keeps many of their top careers open."""

    course: Name
    title: str = Field(max_length=MAX_TITLE)
    subject: Name
    credits: float
    opens: tuple[Name, ...] = Field(
        max_length=MAX_CAREERS, description="career ids of the top list this course serves"
    )
    count: int
    of: int = Field(description="how many top careers were considered")
    reasons: tuple[Explanation, ...] = Field(
        max_length=MAX_CAREERS, description="per career: the requirement the course serves"
    )


class RecommendResult(_Result):
    """Careers ranked for one student, and the courses that keep the top ones open."""

    schema_version: int = RECOMMEND_SCHEMA_VERSION
    student: Name
    jurisdiction: str = Field(max_length=8)
    catalog: Name
    grade_level: int
    stage: Stage
    weights: dict[str, float]
    interests: Interests
    preferences: Preferences
    considered: int = Field(description="how many bundled careers were ranked")
    careers: tuple[CareerFit, ...] = Field(max_length=MAX_CAREERS)
    courses: tuple[LeverageCourse, ...] = Field(
        default=(), max_length=20, description="high-leverage next courses for the top careers"
    )
    notes: tuple[Explanation, ...] = Field(default=(), max_length=20)


class GoalGap(_Result):
    """A high-school goal a route needs, and the student's gap to it."""

    goal: Name
    title: str = Field(max_length=MAX_TITLE)
    status: Status
    summary: Explanation
    gaps: tuple[RequirementGap, ...] = Field(max_length=1000)
    credits_to_add: float


class RouteView(_Result):
    """One route to a career (certificate, associate, bachelor's, apprenticeship ...)."""

    kind: str = Field(max_length=32)
    title: str = Field(max_length=MAX_TITLE)
    goals: tuple[GoalGap, ...] = Field(
        max_length=20, description="any one of these leads on (the best first)"
    )
    status: Status = Field(description="the best status among the route's goals")


class PathwayResult(_Result):
    """The routes to one career from where the student stands."""

    schema_version: int = RECOMMEND_SCHEMA_VERSION
    student: Name
    jurisdiction: str = Field(max_length=8)
    career: Name
    title: str = Field(max_length=120)
    soc: str = Field(max_length=7)
    entry_education_title: str = Field(max_length=100)
    coursework: tuple[RequirementGap, ...] = Field(
        max_length=1000,
        description="the career's own recommended coursework and concentrator, for every route",
    )
    routes: tuple[RouteView, ...] = Field(max_length=6)
