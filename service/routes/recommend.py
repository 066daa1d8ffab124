"""POST /v1/recommend (careers ranked for a student) and /v1/recommend/pathway (routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from engine.errors import StudentDataError, UnknownGoalError
from engine.model import WholeNumber
from engine.recommend import (
    Interests,
    PathwayResult,
    Preferences,
    RecommendResult,
    pathway,
    recommend,
)
from service import examples
from service.auth import Evaluator
from service.deps import KnowledgeDep, SettingsDep, log_extra
from service.privacy import StudentIn
from service.problems import ProblemError, ProblemItem
from service.routes.evaluate import check_rows

__all__ = ["PathwayRequest", "RecommendRequest", "router"]

router = APIRouter(prefix="/v1", tags=["recommend"])


class RecommendRequest(BaseModel):
    """A student, what they like and what they prefer; how many careers and courses to return."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    student: StudentIn
    interests: Interests | None = None
    preferences: Preferences | None = None
    top: WholeNumber = Field(
        default=10, ge=1, le=200, description="how many ranked careers to return"
    )
    courses: WholeNumber = Field(default=5, ge=0, le=20, description="how many leverage courses")


class PathwayRequest(BaseModel):
    """A student and one career (its id or goal id ``career-<id>``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    student: StudentIn
    career: str = Field(min_length=1, max_length=80)


def _interests_problem(exc: StudentDataError) -> ProblemError:
    items = [ProblemItem(loc=["body", *p.loc], msg=p.msg, type=p.type) for p in exc.problems]
    return ProblemError(422, "The interests are not valid", "", items)


@router.post(
    "/recommend",
    response_model=RecommendResult,
    summary="Rank the bundled careers for a student",
    description="Every career scored from parts a counselor can trace: interest match "
    "(RIASEC codes, clusters, subjects), academic readiness (the audit of each career goal), "
    "strengths (grades in the career's courses) and preferences (years after high school, "
    "route kinds); plus the next courses that keep the most of the top careers open. "
    "Deterministic; nothing is stored.",
)
def post_recommend(
    body: Annotated[RecommendRequest, Body(openapi_examples=examples.RECOMMEND)],
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
) -> Response:
    check_rows(body.student, settings, ("student",))
    try:
        result = recommend(
            knowledge=knowledge,
            student=body.student,
            interests=body.interests,
            preferences=body.preferences,
            limit=body.top,
            courses=body.courses,
        )
    except StudentDataError as exc:
        if exc.source != "interests":
            raise
        raise _interests_problem(exc) from None
    log_extra(request, rows=len(body.student.transcript), careers=len(result.careers))
    return Response(result.model_dump_json(), media_type="application/json")


@router.post(
    "/recommend/pathway",
    response_model=PathwayResult,
    summary="The routes to one career and the student's gap to each",
    description="Each route (certificate, associate, bachelor's, apprenticeship ...) with the "
    "high-school goals it needs in the student's state, audited, and the career's own "
    "recommended coursework.",
)
def post_pathway(
    body: PathwayRequest,
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
) -> Response:
    check_rows(body.student, settings, ("student",))
    try:
        view = pathway(knowledge=knowledge, student=body.student, career=body.career)
    except UnknownGoalError as exc:
        item = ProblemItem(loc=["body", "career"], msg=str(exc), type="unknown-career")
        raise ProblemError(422, "Unknown career", str(exc), [item]) from None
    log_extra(request, rows=len(body.student.transcript), career=view.career)
    return Response(view.model_dump_json(), media_type="application/json")
