"""POST /v1/audit: a student's audit against goals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response
from pydantic_core import to_json

from engine.audit import audit_document
from engine.errors import BudgetExceededError, StudentDataError
from engine.planning import PlanConstraints, PlanResult, ScenarioSet, WhatIfResult, plan, whatif
from engine.planning.constraints import CONSTRAINTS
from engine.results import AuditResult
from engine.student import Student
from service import examples
from service.auth import Evaluator
from service.deps import KnowledgeDep, SettingsDep, log_extra
from service.problems import ProblemError, ProblemItem
from service.schemas import AuditRequest, PlanRequest, WhatIfRequest
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
async def post_audit(
    body: Annotated[AuditRequest, Body(openapi_examples=examples.AUDIT)],
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
) -> Response:
    check_rows(body.student, settings, ("student",))
    document = audit_document(knowledge=knowledge, student=body.student, goals=body.goals)
    log_extra(
        request,
        rows=len(body.student.transcript),
        goals=",".join(f"{g['goal']}@{g['version']}" for g in document["goals"]),
        catalog=document["catalog"],
    )
    # The engine's JSON document is sent as it is: FastAPI's re-validation through
    # ``response_model`` (kept for the OpenAPI document) would double the cost, and the
    # document equals ``AuditResult.model_dump`` (tests/test_audit_forms.py).
    return Response(to_json(document), media_type="application/json")


def _constraints_problem(exc: StudentDataError) -> ProblemError:
    """The engine's refusal of the request's plan constraints (a locked course the catalog
    lacks), located in the body's ``constraints`` rather than in the student."""
    items = [
        ProblemItem(loc=["body", "constraints", *p.loc], msg=p.msg, type=p.type)
        for p in exc.problems
    ]
    more = f" (and {len(items) - 1} more in 'errors')" if len(items) > 1 else ""
    detail = f"{items[0].msg}{more}" if items else ""
    return ProblemError(422, "The plan constraints are not valid", detail, items)


def _constraints(given: PlanConstraints | None, settings: Settings) -> PlanConstraints:
    """The caller's constraints with the solver time capped by the service's limit."""
    cons = given or PlanConstraints()
    limit = min(cons.time_limit, settings.plan_time_limit_seconds)
    return cons.model_copy(update={"time_limit": limit})


@router.post(
    "/plan",
    response_model=PlanResult,
    summary="Plan the courses that close every gap",
    description="Courses term by term from the next term to graduation, fewest added credits "
    "first, each with the requirements it serves; or, when no plan exists, the smallest set "
    "of conflicting constraints. The solver time is capped by the service.",
)
def post_plan(
    body: Annotated[PlanRequest, Body(openapi_examples=examples.PLAN)],
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
) -> Response:
    check_rows(body.student, settings, ("student",))
    cons = _constraints(body.constraints, settings)
    try:
        result = plan(knowledge=knowledge, student=body.student, goals=body.goals, constraints=cons)
    except StudentDataError as exc:
        if exc.source != CONSTRAINTS:
            raise
        raise _constraints_problem(exc) from None
    log_extra(
        request,
        rows=len(body.student.transcript),
        goals=",".join(result.goals),
        plan=result.status,
        courses=result.added_courses,
    )
    return Response(result.model_dump_json(), media_type="application/json")


@router.post(
    "/whatif",
    response_model=WhatIfResult,
    summary="Compare scenarios with the student as recorded",
    description="Each scenario is the student plus changes (rows added, dropped or regraded; "
    "other goals, catalog year or jurisdiction; draft rule sets inline): its audit and plan, "
    "and what changed against the base.",
)
def post_whatif(
    body: Annotated[WhatIfRequest, Body(openapi_examples=examples.WHATIF)],
    request: Request,
    knowledge: KnowledgeDep,
    settings: SettingsDep,
    _caller: Evaluator,
) -> Response:
    check_rows(body.student, settings, ("student",))
    if len(body.scenarios) > settings.max_scenarios:
        raise ProblemError(
            422,
            "Too many scenarios",
            f"At most {settings.max_scenarios} scenarios per request.",
            [ProblemItem(loc=["body", "scenarios"], msg="too many scenarios", type="too_long")],
        )
    scenarios = ScenarioSet(
        constraints=_constraints(body.constraints, settings),
        scenarios=tuple(
            s.model_copy(update={"constraints": _constraints(s.constraints, settings)})
            if s.constraints is not None
            else s
            for s in body.scenarios
        ),
    )
    try:
        result = whatif(
            knowledge=knowledge,
            student=body.student,
            scenarios=scenarios,
            goals=body.goals,
            budget=settings.plan_budget_seconds,
            max_rows=settings.max_transcript_rows,
        )
    except StudentDataError as exc:  # the base plan's constraints (a scenario's say where)
        if exc.source != CONSTRAINTS:
            raise
        raise _constraints_problem(exc) from None
    except BudgetExceededError as exc:
        raise ProblemError(
            422,
            "Planning budget spent",
            str(exc),
            [ProblemItem(loc=["body", "scenarios"], msg=str(exc), type="budget_exceeded")],
        ) from None
    log_extra(request, rows=len(body.student.transcript), scenarios=len(body.scenarios))
    return Response(result.model_dump_json(), media_type="application/json")
