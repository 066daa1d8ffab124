"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Every problem carries the request's correlation id and, for bad input, a list of
``{loc, msg, type}``. Validation messages never echo the submitted values: a student record's
content must not come back in an error (or reach a log) by accident.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.errors import GradPathError, KnowledgeError, StudentDataError, UnknownGoalError
from service.limits import BodyTooLargeError

__all__ = [
    "NOT_VALID",
    "PROBLEM_JSON",
    "ContainErrors",
    "Problem",
    "ProblemError",
    "ProblemItem",
    "install",
    "problem_response",
]

PROBLEM_JSON = "application/problem+json"
#: The title of a request that fails the request schema (as opposed to one the engine refuses).
NOT_VALID = "The request is not valid"
log = logging.getLogger("gradpath.service")


class ProblemItem(BaseModel):
    """One thing wrong with the request."""

    model_config = ConfigDict(extra="forbid")

    loc: list[Annotated[str, Field(max_length=200)] | int] = Field(
        max_length=32, description="where, e.g. ['body','student','id']"
    )
    msg: str = Field(max_length=1000)
    type: str = Field(max_length=100)


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(default="about:blank", max_length=200)
    title: str = Field(max_length=200)
    status: int = Field(ge=400, le=599)
    detail: str = Field(default="", max_length=2000)
    correlation_id: str = Field(max_length=64)
    errors: list[ProblemItem] = Field(default_factory=list, max_length=1000)
    # RFC 6749 §5.2's members, on the token endpoint's refusals only (RFC 9457 allows extension
    # members): OAuth client libraries read the code from ``error``, not from ``title``.
    error: str | None = Field(
        default=None,
        max_length=64,
        description="POST /oauth/token only: the RFC 6749 error code (also the title)",
    )
    error_description: str | None = Field(
        default=None, max_length=2000, description="POST /oauth/token only: the detail, again"
    )


class ProblemError(Exception):
    """Raised by routes to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        errors: Sequence[ProblemItem] = (),
        headers: dict[str, str] | None = None,
        *,
        oauth_error: str | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}
        self.oauth_error = oauth_error


def correlation_id(request: Request) -> str:
    return str(getattr(request.state, "correlation_id", "-"))


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str = "",
    errors: Sequence[ProblemItem] = (),
    headers: dict[str, str] | None = None,
    oauth_error: str | None = None,
) -> JSONResponse:
    body = Problem(
        title=title,
        status=status,
        detail=detail,
        correlation_id=correlation_id(request),
        errors=list(errors)[:1000],
        error=oauth_error,
        error_description=detail if oauth_error else None,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers={"X-Request-ID": correlation_id(request), **(headers or {})},
    )


def _json_media(kind: str) -> bool:
    return kind == "application/json" or kind.endswith("+json")


def _items(errors: Sequence[Any]) -> list[ProblemItem]:
    out = []
    for e in errors:
        # A key name may come from the caller: clipped, like the message.
        loc = [p if isinstance(p, int) else str(p)[:200] for p in e.get("loc", ())]
        out.append(
            ProblemItem(
                loc=loc[:32], msg=str(e.get("msg", ""))[:1000], type=str(e.get("type"))[:100]
            )
        )
    return out


def install(app: FastAPI) -> None:
    """Route every error through a problem document."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.title, exc.detail, exc.errors, exc.headers, exc.oauth_error
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        items = _items(exc.errors())
        detail = "See 'errors' for each problem and where it is."
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if any(i.loc == ["body"] for i in items) and not _json_media(kind):
            # FastAPI reads a body only as JSON: any other type is "not a dictionary", which
            # says nothing about the fix (a client's missing or wrong Content-Type).
            detail = (
                f"The body is read as JSON: send it with Content-Type: application/json "
                f"(this request said {kind or 'none'})."
            )
        return problem_response(request, 422, NOT_VALID, detail, items)

    @app.exception_handler(StudentDataError)
    async def _student(request: Request, exc: StudentDataError) -> JSONResponse:
        # A what-if scenario's problems are located from the body (``scenarios.<i>...``);
        # the student's own from the student.
        scenario = exc.in_scenarios
        under = ["body"] if scenario else ["body", "student"]
        items = [ProblemItem(loc=[*under, *p.loc], msg=p.msg, type=p.type) for p in exc.problems]
        title = "A scenario cannot be applied" if scenario else "The student record is not valid"
        more = f" (and {len(items) - 1} more in 'errors')" if len(items) > 1 else ""
        detail = f"{items[0].msg}{more}" if items else ""
        return problem_response(request, 422, title, detail, items)

    @app.exception_handler(UnknownGoalError)
    async def _goal(request: Request, exc: UnknownGoalError) -> JSONResponse:
        item = ProblemItem(loc=["body", "goals"], msg=str(exc), type="unknown-goal")
        return problem_response(request, 422, "Unknown goal", str(exc), [item])

    @app.exception_handler(KnowledgeError)
    async def _knowledge(request: Request, exc: KnowledgeError) -> JSONResponse:
        item = ProblemItem(loc=["body"], msg=str(exc), type="unknown-reference")
        return problem_response(
            request, 422, "Nothing bundled matches the request", str(exc), [item]
        )

    @app.exception_handler(GradPathError)
    async def _engine(request: Request, exc: GradPathError) -> JSONResponse:
        item = ProblemItem(loc=["body"], msg=str(exc)[:1000], type="gradpath-error")
        return problem_response(request, 422, "The request cannot be evaluated", "", [item])

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        title = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}.get(
            exc.status_code, "Error"
        )
        headers = dict(exc.headers) if exc.headers else None
        return problem_response(request, exc.status_code, title, str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        return _internal_error(request, exc)


def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    # The exception's message may quote input: log only its type and where it was raised.
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f"{frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else "?"
    log.error(
        "internal error %s at %s correlation_id=%s",
        type(exc).__name__,
        where,
        correlation_id(request),
    )
    return problem_response(
        request,
        500,
        "Internal error",
        "Something went wrong on our side; quote the correlation id when reporting it.",
    )


class ContainErrors:
    """Answer an unexpected exception with the 500 problem here, so it never reaches the server.

    Starlette's outermost middleware sends the ``Exception`` handler's answer and then raises
    the exception again, and uvicorn logs it with its message and traceback: a message can
    quote a student's record (seen: ``ValueError: <the student id> ...`` in the server log).
    Caught here, inside the access log, only its type and where it was raised are logged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except BodyTooLargeError:
            # A route that reads the body itself met the body limit: BodyLimit, outside, answers
            # 413. Caught here it was logged as an internal error for every oversized upload.
            raise
        except Exception as exc:
            response = _internal_error(Request(scope), exc)
            if not started:  # else the answer is half sent: the server closes the connection
                await response(scope, receive, send)
