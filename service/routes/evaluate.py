"""POST /v1/audit: a student's audit against goals."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from engine.audit import audit
from engine.results import AuditResult
from engine.student import Student
from service.auth import Evaluator
from service.deps import KnowledgeDep, SettingsDep, log_extra
from service.problems import ProblemError, ProblemItem
from service.schemas import AuditRequest
from service.settings import Settings

__all__ = ["check_rows", "router"]

router = APIRouter(prefix="/v1", tags=["evaluate"])


def check_rows(student: Student, settings: Settings, where: tuple[str | int, ...]) -> None:
    """Refuse transcripts over the configured row limit (422, naming the limit)."""
    if len(student.transcript) > settings.max_transcript_rows:
        raise ProblemError(
            422,
            "Transcript too long",
            f"At most {settings.max_transcript_rows} transcript rows per student.",
            [
                ProblemItem(
                    loc=["body", *where, "transcript"],
                    msg=f"{len(student.transcript)} rows; the limit is "
                    f"{settings.max_transcript_rows}",
                    type="too_long",
                )
            ],
        )


@router.post(
    "/audit",
    response_model=AuditResult,
    summary="Audit a student against goals",
    description="Each requirement of each goal: met, in progress or unmet, with the courses "
    "applied and a plain-language reason. Nothing is stored.",
)
def post_audit(
    body: AuditRequest,
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
) -> Response:
    check_rows(body.student, settings, ("student",))
    result = audit(knowledge=knowledge, student=body.student, goals=body.goals)
    log_extra(
        request,
        rows=len(body.student.transcript),
        goals=",".join(f"{g.goal}@{g.version}" for g in result.goals),
        catalog=result.catalog,
    )
    # Serialised once, here: the result is already validated, and FastAPI's re-validation
    # through ``response_model`` (kept for the OpenAPI document) would double the cost.
    return Response(result.model_dump_json(), media_type="application/json")
